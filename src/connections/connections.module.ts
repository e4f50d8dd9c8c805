import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ActivitiesModule } from '../activities/activities.module';
import { CryptoModule } from '../crypto/crypto.module';
import { JobsModule } from '../jobs/jobs.module';
import { ConnectionsController } from './connections.controller';
import { ConnectionsService } from './connections.service';
import { OAuthState } from './oauth-state.entity';
import { OAuthStateService } from './oauth-state.service';
import { ProviderConnection } from './provider-connection.entity';
import { ProviderRateLimit } from './provider-rate-limit.entity';
import { StravaRateLimit } from './strava-rate-limit';
import { StravaTokensService } from './strava-tokens.service';
import { StravaWebhookEvent } from './strava-webhook-event.entity';
import { StravaWebhookController } from './strava-webhook.controller';
import { StravaWebhookService } from './strava-webhook.service';
import { StravaClient } from './strava.client';
import { StravaEventsService } from './strava-events.service';
import { StravaJobHandlers } from './strava-job-handlers';
import { StravaSyncService } from './strava-sync.service';

/** Connections to other services (Strava): OAuth, sealed tokens, the webhook, the import. */
@Module({
  imports: [
    TypeOrmModule.forFeature([ProviderConnection, OAuthState, StravaWebhookEvent, ProviderRateLimit]),
    CryptoModule,
    ActivitiesModule,
    JobsModule,
  ],
  controllers: [ConnectionsController, StravaWebhookController],
  providers: [
    ConnectionsService,
    OAuthStateService,
    StravaClient,
    StravaSyncService,
    StravaEventsService,
    StravaJobHandlers,
    StravaRateLimit,
    StravaTokensService,
    StravaWebhookService,
  ],
  exports: [ConnectionsService],
})
export class ConnectionsModule {}
