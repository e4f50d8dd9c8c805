import type { Job } from './job-queue';

/** A job as a store keeps it when it is sent, with every option resolved. */
export interface NewJob {
  name: string;
  data: object;
  key: string | null;
  startAfter: Date | null;
  retryLimit: number;
  retryDelaySeconds: number;
  leaseSeconds: number;
}

/** A job this process holds the lease of, until it completes, fails or is deferred. */
export interface ClaimedJob extends Job<object> {
  /** When it became due: the queue lag is the claim time minus this. */
  dueAt: Date;
  retryLimit: number;
  retryDelaySeconds: number;
  /** What the store needs to recognise its own claim (the SQLite store's lease token). */
  lease: string;
}

/**
 * Where jobs are kept and how a worker takes one. The worker loop (JobRunner) is the same for every
 * store, so the guarantees (claim with a lease, retries with back-off, deferral without an attempt,
 * bounded concurrency, graceful stop) are written and tested once.
 */
export interface JobStore {
  /** Durable when it resolves; null when a live job of that name already has the key. */
  insert(job: NewJob): Promise<string | null>;
  /** Takes up to `limit` due jobs of `name` (and jobs whose lease expired), each with a fresh lease. */
  claim(name: string, limit: number, leaseSeconds: number): Promise<ClaimedJob[]>;
  /** Renews the leases of jobs still running here, so only a dead process loses its jobs. */
  extend(name: string, jobs: ClaimedJob[], leaseSeconds: number): Promise<void>;
  complete(job: ClaimedJob): Promise<void>;
  /** Records a failed attempt: queued again after its back-off, or failed for good past the retry limit. */
  fail(job: ClaimedJob, message: string): Promise<'retried' | 'failed'>;
  /** Queued again for `until`, its attempt not counted. */
  defer(job: ClaimedJob, until: Date): Promise<void>;
  /** Prepares a job name (pg-boss creates its queue); idempotent. */
  prepare(name: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * The wait before the next attempt after `attempt` failed: pg-boss's back-off, so both stores behave
 * alike: between delay x 2^(attempt-1) and twice that (random, so failed jobs do not all return at once),
 * the exponent capped at 16.
 */
export function retryDelayMs(attempt: number, delaySeconds: number, random: number = Math.random()): number {
  const base = (delaySeconds * 2 ** Math.min(16, attempt)) / 2;
  return Math.round((base + base * random) * 1000);
}
