import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CryptoModule } from '../crypto/crypto.module';
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

/** Connections to other services (Strava): OAuth, sealed tokens, the webhook, the import. */
@Module({
  imports: [
    TypeOrmModule.forFeature([ProviderConnection, OAuthState, StravaWebhookEvent, ProviderRateLimit]),
    CryptoModule,
  ],
  controllers: [ConnectionsController, StravaWebhookController],
  providers: [
    ConnectionsService,
    OAuthStateService,
    StravaClient,
    StravaRateLimit,
    StravaTokensService,
    StravaWebhookService,
  ],
  exports: [ConnectionsService],
})
export class ConnectionsModule {}
