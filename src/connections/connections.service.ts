import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Repository } from 'typeorm';
import { noteForAudit } from '../audit/audit-notes';
import { ActivityImportService } from '../activities/activity-import.service';
import { AppConfig } from '../config/app-config';
import { isUniqueViolation } from '../database/database-errors';
import { JobQueue } from '../jobs/job-queue';
import type { User } from '../users/user.entity';
import type { StravaCallbackQueryDto } from './dto/connection-queries.dto';
import { OAuthStateService } from './oauth-state.service';
import { ProviderConnection } from './provider-connection.entity';
import { backfillJob } from './strava-jobs';
import { StravaTokensService } from './strava-tokens.service';
import { StravaApiError, StravaClient, type StravaTokenGrant } from './strava.client';
import { apiError } from '../common/error-codes';

/** Scopes that let us read the athlete's activities (`activity:read_all` includes private ones). */
const ACTIVITY_SCOPES = ['activity:read_all', 'activity:read'];

export interface CallbackOutcome {
  connection: ProviderConnection;
  /** STRAVA_SUCCESS_REDIRECT when set: the browser goes there instead of reading JSON. */
  redirectTo: string | null;
}

/** Connecting, listing and disconnecting Strava (contract part 2, "Strava connection"). */
@Injectable()
export class ConnectionsService {
  private readonly logger = new Logger('Strava');

  constructor(
    @InjectRepository(ProviderConnection) private readonly connections: Repository<ProviderConnection>,
    private readonly config: AppConfig,
    private readonly states: OAuthStateService,
    private readonly strava: StravaClient,
    private readonly tokens: StravaTokensService,
    private readonly imports: ActivityImportService,
    private readonly queue: JobQueue,
  ) {}

  private requireConfigured(): { clientId: string; redirectUri: string } {
    const { STRAVA_CLIENT_ID: clientId, STRAVA_CLIENT_SECRET: secret, STRAVA_REDIRECT_URI: redirectUri } = this.config;
    if (!clientId || !secret || !redirectUri) {
      throw apiError('strava_not_configured');
    }
    return { clientId, redirectUri };
  }

  async authorizeUrl(user: User): Promise<string> {
    const { clientId, redirectUri } = this.requireConfigured();
    const state = await this.states.create(user.id, 'strava');
    const url = new URL('/oauth/authorize', this.config.STRAVA_BASE_URL);
    url.search = new URLSearchParams({
      client_id: clientId,
      redirect_uri: redirectUri,
      response_type: 'code',
      approval_prompt: 'auto',
      scope: 'activity:read_all',
      state,
    }).toString();
    return url.toString();
  }

  /** The browser's return from Strava: the state first (whoever holds the URL), then the scope, then the code. */
  async completeAuthorization(query: StravaCallbackQueryDto): Promise<CallbackOutcome> {
    this.requireConfigured();
    if (!query.state) {
      throw apiError('oauth_state_missing');
    }
    const userId = await this.states.consume(query.state, 'strava');
    noteForAudit({ userId });
    if (query.error) {
      throw apiError('strava_authorization_declined');
    }
    const scopes = (query.scope ?? '').split(',').filter(Boolean);
    if (!scopes.some((s) => ACTIVITY_SCOPES.includes(s))) {
      throw apiError('strava_scope_missing');
    }
    if (!query.code) {
      throw apiError('authorization_code_missing');
    }
    let grant: StravaTokenGrant;
    try {
      grant = await this.strava.exchangeCode(query.code);
    } catch (error) {
      if (error instanceof StravaApiError && error.status >= 400 && error.status < 500 && error.status !== 429) {
        throw apiError('strava_code_refused');
      }
      this.logger.warn(`Code exchange failed: ${(error as Error).message}`);
      throw apiError('strava_unreachable');
    }
    if (!grant.athleteId) {
      throw apiError('strava_athlete_missing');
    }
    const connection = await this.store(userId, grant.athleteId, scopes, grant);
    noteForAudit({ resourceId: connection.id });
    // The last STRAVA_BACKFILL_DAYS come in the background (also on a reconnection: it catches up).
    const job = backfillJob(connection.id);
    await this.queue.send(job.name, job.data, job.options);
    return { connection, redirectTo: this.config.STRAVA_SUCCESS_REDIRECT ?? null };
  }

  /** Creates the user's connection, or replaces its tokens and scopes when reconnecting. */
  private async store(
    userId: number,
    athleteId: string,
    scopes: string[],
    grant: StravaTokenGrant,
  ): Promise<ProviderConnection> {
    const now = new Date();
    const existing = await this.connections.findOneBy({ userId, provider: 'strava' });
    const id = existing?.id ?? randomUUID();
    const row: ProviderConnection = {
      ...(existing ?? { connectedAt: now, lastSyncAt: null }),
      id,
      userId,
      provider: 'strava',
      athleteId,
      scopes,
      ...this.tokens.seal(id, grant),
      accessExpiresAt: grant.expiresAt,
      status: 'connected',
      lastError: null,
      updatedAt: now,
    };
    try {
      if (existing) {
        await this.connections.update({ id }, row);
      } else {
        await this.connections.insert(row);
      }
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw apiError('strava_athlete_taken');
      }
      throw error;
    }
    return row;
  }

  list(user: User): Promise<ProviderConnection[]> {
    return this.connections.find({ where: { userId: user.id }, order: { connectedAt: 'ASC' } });
  }

  /** Deauthorizes at Strava (best effort: the tokens go either way), deletes the connection, optionally its activities. */
  async disconnect(user: User, deleteActivities: boolean): Promise<void> {
    const connection = await this.connections.findOneBy({ userId: user.id, provider: 'strava' });
    if (!connection) {
      throw apiError('connection_not_found');
    }
    noteForAudit({ resourceId: connection.id, details: deleteActivities ? 'activities deleted' : 'activities kept' });
    await this.deauthorize(connection);
    await this.connections.delete({ id: connection.id });
    if (deleteActivities) {
      await this.imports.removeAllFrom(user.id, 'strava');
    }
  }

  /** An account being deleted: its connections are revoked at Strava (best effort); the rows go with the account. */
  async deauthorizeAll(userId: number): Promise<void> {
    for (const connection of await this.connections.findBy({ userId })) {
      await this.deauthorize(connection);
    }
  }

  /** Best effort: a failure is logged, and the tokens are deleted here either way. */
  private async deauthorize(connection: ProviderConnection): Promise<void> {
    try {
      await this.strava.deauthorize(await this.tokens.accessTokenFor(connection));
    } catch (error) {
      this.logger.warn(`Connection ${connection.id}: deauthorization at Strava failed: ${(error as Error).message}`);
    }
  }
}
