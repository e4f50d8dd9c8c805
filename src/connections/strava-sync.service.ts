import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ActivityImportService, type ImportOutcome } from '../activities/activity-import.service';
import { AppConfig } from '../config/app-config';
import { JobQueue } from '../jobs/job-queue';
import { ProviderConnection } from './provider-connection.entity';
import { externalIdOf, toExternalActivity } from './strava-activity';
import { importJob } from './strava-jobs';
import { StravaTokensService } from './strava-tokens.service';
import { StravaApiError, StravaClient } from './strava.client';

/** Activities per page of the backfill's listing (Strava allows up to 200). */
export const BACKFILL_PAGE_SIZE = 100;
/** A backfill lists at most this many pages (20,000 activities). */
const MAX_PAGES = 200;

/**
 * Bringing a connection's activities in: the backfill lists the last STRAVA_BACKFILL_DAYS and queues one
 * import per activity; an import fetches the activity and its streams and hands them to the activity
 * import (the upload's pipeline, once per Strava id). Calls go through StravaClient, whose errors the
 * job handlers (strava-jobs.ts) turn into retries, pauses or an end.
 */
@Injectable()
export class StravaSyncService {
  private readonly logger = new Logger('Strava');

  constructor(
    @InjectRepository(ProviderConnection) private readonly connections: Repository<ProviderConnection>,
    private readonly config: AppConfig,
    private readonly strava: StravaClient,
    private readonly tokens: StravaTokensService,
    private readonly imports: ActivityImportService,
    private readonly queue: JobQueue,
  ) {}

  connectionOf(athleteId: string): Promise<ProviderConnection | null> {
    return this.connections.findOneBy({ provider: 'strava', athleteId });
  }

  /** Lists the backfill window page by page and queues an import for each activity not imported yet. */
  async backfill(connectionId: string): Promise<string> {
    const connection = await this.connections.findOneBy({ id: connectionId });
    if (!connection) {
      return 'connection gone';
    }
    const after = Math.floor(Date.now() / 1000) - this.config.STRAVA_BACKFILL_DAYS * 86_400;
    let queued = 0;
    let listed = 0;
    for (let page = 1; page <= MAX_PAGES; page++) {
      const token = await this.tokens.accessTokenFor(await this.current(connection));
      const activities = await this.strava.listActivities(token, after, page, BACKFILL_PAGE_SIZE);
      listed += activities.length;
      const imported = await this.imports.importedAmong(
        connection.userId,
        activities.map((a) => externalIdOf(a.id)),
      );
      for (const activity of activities) {
        if (!imported.has(externalIdOf(activity.id))) {
          const job = importJob(connection.athleteId, String(activity.id));
          await this.queue.send(job.name, job.data, job.options);
          queued++;
        }
      }
      if (activities.length < BACKFILL_PAGE_SIZE) {
        break;
      }
    }
    await this.synced(connection.id);
    return `listed ${listed}, queued ${queued}`;
  }

  /** Imports one activity unless it is here already; re-imports it (in place) when `again`. */
  async importActivity(athleteId: string, activityId: string, again = false): Promise<string> {
    const connection = await this.connectionOf(athleteId);
    if (!connection) {
      return 'no connection';
    }
    const externalId = externalIdOf(activityId);
    if (!again && (await this.imports.findImported(connection.userId, externalId))) {
      return 'already imported';
    }
    const token = await this.tokens.accessTokenFor(connection);
    let outcome: ImportOutcome;
    try {
      const activity = await this.strava.activity(token, activityId);
      const streams = await this.strava.streams(token, activityId);
      const external = toExternalActivity(activity, streams);
      outcome = again
        ? await this.imports.reimport(connection.userId, external)
        : await this.imports.importOnce(connection.userId, external);
    } catch (error) {
      // Deleted on Strava meanwhile, or private while we may read public activities only.
      if (error instanceof StravaApiError && error.status === 404) {
        return 'not found at Strava';
      }
      throw error;
    }
    await this.synced(connection.id);
    if (outcome.status === 'duplicate_of_upload') {
      this.logger.log(`${externalId}: already uploaded as activity ${outcome.activityId}; not imported`);
    }
    return `${outcome.status} ${outcome.activityId}`;
  }

  private async current(connection: ProviderConnection): Promise<ProviderConnection> {
    return (await this.connections.findOneBy({ id: connection.id })) ?? connection;
  }

  private async synced(connectionId: string): Promise<void> {
    await this.connections.update({ id: connectionId }, { lastSyncAt: new Date() });
  }
}
