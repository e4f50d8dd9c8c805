/**
 * The one job mechanism of the service. Features send jobs by name and register a handler per name;
 * JobsModule provides the implementation for the configured database (pg-boss on PostgreSQL, the
 * embedded `jobs` table on SQLite). Delivery is at least once: handlers must be idempotent.
 */
export interface JobOptions {
  /** Dedupe: while a job with this key is queued, deferred or running, send() with the same key adds nothing (returns null). */
  key?: string;
  /** Not before this time. */
  startAfter?: Date;
  /** Attempts after the first (default 5), with exponential back-off from retryDelaySeconds (default 30). */
  retryLimit?: number;
  retryDelaySeconds?: number;
}

export interface Job<T> {
  id: string;
  name: string;
  data: T;
  /** 1 for the first run; a deferral does not count, a failure or an expired lease does. */
  attempt: number;
}

/** Thrown by a handler: run this job again at `until` without counting an attempt (rate-limit pauses). */
export class JobDeferred extends Error {
  constructor(
    readonly until: Date,
    reason?: string,
  ) {
    super(reason ?? `deferred until ${until.toISOString()}`);
    this.name = 'JobDeferred';
  }
}

export abstract class JobQueue {
  /** Durable once the promise resolves. Returns the job id, or null when deduplicated by key. */
  abstract send<T extends object>(name: string, data: T, options?: JobOptions): Promise<string | null>;
  /** Registers the handler; workers start on application bootstrap (unless JOBS_WORKERS=false) and stop
   *  gracefully on shutdown. `concurrency` bounds the jobs of this name running at once in this process. */
  abstract work<T extends object>(
    name: string,
    options: { concurrency: number },
    handler: (job: Job<T>) => Promise<void>,
  ): void;
}

export const DEFAULT_RETRY_LIMIT = 5;
export const DEFAULT_RETRY_DELAY_SECONDS = 30;
