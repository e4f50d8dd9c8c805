import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { ClaimedJob, JobStore, NewJob } from './job-store';
import { retryDelayMs } from './job-store';

/** Finished jobs are kept this long (to look into), then deleted; pg-boss's default is the same. */
const KEEP_FINISHED_MS = 7 * 24 * 3600_000;
const PRUNE_EVERY_MS = 3600_000;

interface ClaimedRow {
  id: string;
  name: string;
  data: string;
  attempts: number;
  retry_limit: number;
  retry_delay_seconds: number;
  run_at: string;
}

/**
 * The embedded queue: the `jobs` table in the SQLite file, no server. A job is `queued` (due at
 * `run_at`), `active` (held until `locked_until` by the claim `locked_by`), `completed` or `failed`.
 * Workers claim with one conditional UPDATE, as the mail outbox does, so several processes on one file
 * never take the same job; a job whose lease ran out (its process died) is claimed again. A unique index
 * over (name, key) of queued and active jobs is the dedupe.
 */
export class SqliteJobStore implements JobStore {
  private lastPrune = 0;

  constructor(private readonly db: DataSource) {}

  async prepare(): Promise<void> {}

  async insert(job: NewJob): Promise<string | null> {
    const now = new Date();
    const rows = await this.db.query<{ id: string }[]>(
      `INSERT INTO jobs (id, name, data, key, state, attempts, retry_limit, retry_delay_seconds, run_at, created_at)
       VALUES (?, ?, ?, ?, 'queued', 0, ?, ?, ?, ?)
       ON CONFLICT DO NOTHING
       RETURNING id`,
      [
        randomUUID(),
        job.name,
        JSON.stringify(job.data),
        job.key,
        job.retryLimit,
        job.retryDelaySeconds,
        stamp(job.startAfter ?? now),
        stamp(now),
      ],
    );
    return rows[0]?.id ?? null;
  }

  async claim(name: string, limit: number, leaseSeconds: number): Promise<ClaimedJob[]> {
    const now = new Date();
    await this.prune(now);
    // An expired lease past the last attempt: the job's process died on its last try.
    await this.db.query(
      `UPDATE jobs SET state = 'failed', locked_until = NULL, finished_at = ?,
         last_error = 'the lease expired (its process stopped) on the last attempt'
       WHERE name = ? AND state = 'active' AND locked_until < ? AND attempts > retry_limit`,
      [stamp(now), name, stamp(now)],
    );
    const lease = randomUUID();
    const rows = await this.db.query<ClaimedRow[]>(
      `UPDATE jobs SET state = 'active', attempts = attempts + 1, locked_until = ?, locked_by = ?
       WHERE id IN (
         SELECT id FROM jobs
         WHERE name = ?
           AND ((state = 'queued' AND run_at <= ?) OR (state = 'active' AND locked_until < ? AND attempts <= retry_limit))
         ORDER BY run_at, created_at
         LIMIT ?)
       RETURNING id, name, data, attempts, retry_limit, retry_delay_seconds, run_at`,
      [stamp(new Date(now.getTime() + leaseSeconds * 1000)), lease, name, stamp(now), stamp(now), limit],
    );
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      data: JSON.parse(row.data) as object,
      attempt: row.attempts,
      retryLimit: row.retry_limit,
      retryDelaySeconds: row.retry_delay_seconds,
      dueAt: parseStamp(row.run_at),
      lease,
    }));
  }

  async extend(_name: string, jobs: ClaimedJob[], leaseSeconds: number): Promise<void> {
    const until = stamp(new Date(Date.now() + leaseSeconds * 1000));
    for (const job of jobs) {
      await this.db.query(`UPDATE jobs SET locked_until = ? WHERE id = ? AND locked_by = ? AND state = 'active'`, [
        until,
        job.id,
        job.lease,
      ]);
    }
  }

  async complete(job: ClaimedJob): Promise<void> {
    await this.db.query(
      `UPDATE jobs SET state = 'completed', locked_until = NULL, finished_at = ?, last_error = NULL
       WHERE id = ? AND locked_by = ? AND state = 'active'`,
      [stamp(new Date()), job.id, job.lease],
    );
  }

  async fail(job: ClaimedJob, message: string): Promise<'retried' | 'failed'> {
    const now = Date.now();
    if (job.attempt <= job.retryLimit) {
      await this.db.query(
        `UPDATE jobs SET state = 'queued', run_at = ?, locked_until = NULL, last_error = ?
         WHERE id = ? AND locked_by = ? AND state = 'active'`,
        [stamp(new Date(now + retryDelayMs(job.attempt, job.retryDelaySeconds))), message, job.id, job.lease],
      );
      return 'retried';
    }
    await this.db.query(
      `UPDATE jobs SET state = 'failed', locked_until = NULL, finished_at = ?, last_error = ?
       WHERE id = ? AND locked_by = ? AND state = 'active'`,
      [stamp(new Date(now)), message, job.id, job.lease],
    );
    return 'failed';
  }

  async defer(job: ClaimedJob, until: Date): Promise<void> {
    await this.db.query(
      `UPDATE jobs SET state = 'queued', attempts = attempts - 1, run_at = ?, locked_until = NULL
       WHERE id = ? AND locked_by = ? AND state = 'active'`,
      [stamp(until), job.id, job.lease],
    );
  }

  async close(): Promise<void> {}

  private async prune(now: Date): Promise<void> {
    if (now.getTime() - this.lastPrune < PRUNE_EVERY_MS) {
      return;
    }
    this.lastPrune = now.getTime();
    await this.db.query(`DELETE FROM jobs WHERE state IN ('completed', 'failed') AND finished_at < ?`, [
      stamp(new Date(now.getTime() - KEEP_FINISHED_MS)),
    ]);
  }
}

/** TypeORM's spelling of a UTC datetime in SQLite ('2026-12-03 05:00:00.000'), which sorts as text. */
function stamp(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

function parseStamp(value: string): Date {
  return new Date(`${value.replace(' ', 'T')}Z`);
}
