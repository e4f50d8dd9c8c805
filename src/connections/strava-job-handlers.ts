import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { JobDeferred, JobQueue, type Job } from '../jobs/job-queue';
import { StravaEventsService } from './strava-events.service';
import {
  STRAVA_BACKFILL,
  STRAVA_EVENT,
  STRAVA_IMPORT,
  type BackfillData,
  type EventData,
  type ImportData,
} from './strava-jobs';
import { StravaPausedError } from './strava-rate-limit';
import { StravaSyncService } from './strava-sync.service';
import { ConnectionUnusableError, StravaTokensService } from './strava-tokens.service';
import { StravaApiError } from './strava.client';

/**
 * The Strava jobs' handlers, and what a failure means for each: Strava's rate limit (a 429, or a pause
 * another job or instance stored) defers the job to the end of the pause without counting an attempt, so
 * no work is lost and no call is made while paused; a connection whose tokens Strava refuses ends the job
 * (its status says `error` until the athlete connects again, whose backfill catches up); anything else
 * (Strava down, a 5xx, the database) is retried with back-off by the queue.
 */
@Injectable()
export class StravaJobHandlers implements OnModuleInit {
  private readonly logger = new Logger('Strava');

  constructor(
    private readonly queue: JobQueue,
    private readonly sync: StravaSyncService,
    private readonly events: StravaEventsService,
    private readonly tokens: StravaTokensService,
  ) {}

  onModuleInit(): void {
    this.queue.work<BackfillData>(STRAVA_BACKFILL, { concurrency: 1 }, (job) =>
      this.run(
        job,
        () => this.sync.backfill(job.data.connectionId),
        () => Promise.resolve(job.data.connectionId),
      ),
    );
    this.queue.work<ImportData>(STRAVA_IMPORT, { concurrency: 2 }, (job) =>
      this.run(
        job,
        () => this.sync.importActivity(job.data.athleteId, job.data.activityId),
        () => this.connectionIdOf(job.data.athleteId),
      ),
    );
    this.queue.work<EventData>(STRAVA_EVENT, { concurrency: 2 }, (job) =>
      this.run(
        job,
        async () => {
          await this.events.process(job.data.eventId);
          return 'processed';
        },
        async () => this.connectionIdOf((await this.events.ownerOf(job.data.eventId)) ?? ''),
      ),
    );
  }

  private async connectionIdOf(athleteId: string): Promise<string | null> {
    return (await this.sync.connectionOf(athleteId))?.id ?? null;
  }

  private async run<T extends object>(
    job: Job<T>,
    work: () => Promise<string>,
    connectionId: () => Promise<string | null>,
  ): Promise<void> {
    try {
      const outcome = await work();
      this.logger.debug(`${job.name} ${JSON.stringify(job.data)}: ${outcome}`);
    } catch (error) {
      if (error instanceof StravaPausedError) {
        throw new JobDeferred(error.until, error.message);
      }
      if (error instanceof ConnectionUnusableError) {
        this.logger.warn(`${job.name} ${JSON.stringify(job.data)}: ${error.message}; not retried`);
        return;
      }
      if (error instanceof StravaApiError && (error.status === 401 || error.status === 403)) {
        // A valid token refused: the athlete revoked access (the deauthorization event follows) or the scope is gone.
        const id = await connectionId();
        if (id) {
          await this.tokens.markError(id, 'Strava refused access: connect Strava again');
        }
        this.logger.warn(`${job.name} ${JSON.stringify(job.data)}: ${error.message}; not retried`);
        return;
      }
      throw error;
    }
  }
}
