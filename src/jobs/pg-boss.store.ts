import { Logger } from '@nestjs/common';
import type PgBoss from 'pg-boss';
import type { Pool } from 'pg';
import type { ClaimedJob, JobStore, NewJob } from './job-store';

/** pg-boss's queued, retrying and active states: the live states a key dedupes over. */
const LIVE_KEY_INDEX = 'job_live_key';
/** Any constant; serialises the queue and index creations of instances starting at once. */
const SCHEMA_LOCK_ID = 731_164_300;

/**
 * Jobs in PostgreSQL with pg-boss 10, on the app's own connection pool (same URL, TLS and pool limits as
 * TypeORM), in a schema of its own: `pgboss`, or `<schema>_pgboss` when the connection's search_path
 * puts the app in another schema (as each test suite's does), so every app schema has its own queues.
 *
 * pg-boss keeps the jobs, takes them (`FOR UPDATE SKIP LOCKED`), retries them with back-off, expires the
 * leases of dead workers (its maintenance) and archives and deletes finished jobs. Three things it does
 * not do are added here with statements on its `job` table:
 * - dedupe while queued *or running*: pg-boss 10's policies each cover only some states (`short`: queued,
 *   `singleton`: active, `stately`: one per state), so a unique index over (name, singleton_key) of the
 *   states before `completed` makes its `INSERT ... ON CONFLICT DO NOTHING` return no id;
 * - deferral without an attempt: the job goes back to `created` at `until` with `started_on` cleared,
 *   which is how pg-boss tells a first run from a retry (the attempt counter is not raised);
 * - lease renewal: `started_on` is moved forward while the job runs, so only a dead process's jobs expire.
 */
export class PgBossJobStore implements JobStore {
  private readonly logger = new Logger('Jobs');
  private schema = 'pgboss';
  private ready: Promise<PgBoss> | undefined;
  private readonly queues = new Map<string, Promise<void>>();
  private closed = false;

  constructor(
    private readonly pool: Pool,
    private readonly maintenanceIntervalSeconds: number,
  ) {}

  async prepare(name: string): Promise<void> {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = this.started().then((boss) => this.createQueue(boss, name));
      this.queues.set(name, queue);
      queue.catch(() => this.queues.delete(name));
    }
    await queue;
  }

  async insert(job: NewJob): Promise<string | null> {
    const boss = await this.started();
    return boss.send(job.name, job.data, {
      ...(job.key === null ? {} : { singletonKey: job.key }),
      ...(job.startAfter ? { startAfter: job.startAfter } : {}),
      retryLimit: job.retryLimit,
      retryDelay: job.retryDelaySeconds,
      retryBackoff: true,
      expireInSeconds: job.leaseSeconds,
    });
  }

  async claim(name: string, limit: number): Promise<ClaimedJob[]> {
    await this.prepare(name);
    const boss = await this.started();
    const jobs = await boss.fetch<object>(name, { batchSize: limit, includeMetadata: true });
    return jobs.map((job) => ({
      id: job.id,
      name: job.name,
      data: job.data,
      attempt: job.retryCount + 1,
      retryLimit: job.retryLimit,
      retryDelaySeconds: job.retryDelay,
      dueAt: new Date(job.startAfter),
      lease: job.id,
    }));
  }

  async extend(name: string, jobs: ClaimedJob[]): Promise<void> {
    await this.pool.query(
      `UPDATE ${this.schema}.job SET started_on = now()
       WHERE name = $1 AND id = ANY($2::uuid[]) AND state = 'active'`,
      [name, jobs.map((job) => job.id)],
    );
  }

  async complete(job: ClaimedJob): Promise<void> {
    const boss = await this.started();
    await boss.complete(job.name, job.id);
  }

  async fail(job: ClaimedJob, message: string): Promise<'retried' | 'failed'> {
    const boss = await this.started();
    await boss.fail(job.name, job.id, { message });
    return job.attempt <= job.retryLimit ? 'retried' : 'failed';
  }

  async defer(job: ClaimedJob, until: Date): Promise<void> {
    await this.pool.query(
      `UPDATE ${this.schema}.job
       SET state = 'created', start_after = $3, started_on = NULL,
           keep_until = GREATEST(keep_until, $3::timestamptz + interval '14 days')
       WHERE name = $1 AND id = $2 AND state = 'active'`,
      [job.name, job.id, until],
    );
  }

  async close(): Promise<void> {
    this.closed = true;
    const boss = await this.ready?.catch(() => undefined);
    // Only pg-boss's maintenance timer runs; the pool is TypeORM's and closes with it.
    await boss?.stop({ graceful: false, close: false });
  }

  /** Starts pg-boss on first use (installing or migrating its schema); retried after a failure. */
  private started(): Promise<PgBoss> {
    if (this.closed) {
      return Promise.reject(new Error('the job queue is closed'));
    }
    if (!this.ready) {
      this.ready = this.start();
      this.ready.catch(() => (this.ready = undefined));
    }
    return this.ready;
  }

  private async start(): Promise<PgBoss> {
    const { rows } = await this.pool.query<{ schema: string | null }>('SELECT current_schema() AS schema');
    const current = rows[0]?.schema;
    this.schema = !current || current === 'public' ? 'pgboss' : `${current}_pgboss`;
    // Loaded here, on PostgreSQL only: an instance on SQLite never loads pg-boss (about 5 MB of memory).
    const { default: PgBossClass } = await import('pg-boss');
    const boss = new PgBossClass({
      db: { executeSql: (text: string, values: unknown[]) => this.pool.query(text, values) },
      schema: this.schema,
      schedule: false,
      supervise: true,
      maintenanceIntervalSeconds: this.maintenanceIntervalSeconds,
    });
    boss.on('error', (error) => this.logger.warn(`pg-boss: ${error.message}`));
    await boss.start();
    await this.createLiveKeyIndex();
    return boss;
  }

  /**
   * A queue is a partition of pg-boss's job table; two instances creating queues at once can deadlock
   * in pg-boss's create_queue(), so creations (and the index) take turns under an advisory lock.
   */
  private async createQueue(boss: PgBoss, name: string): Promise<void> {
    if (await boss.getQueue(name)) {
      return;
    }
    for (let attempt = 1; ; attempt++) {
      try {
        await this.serialised(() => boss.createQueue(name, { name, policy: 'standard' }));
        return;
      } catch (error) {
        // A deadlock with a pg-boss statement of another instance (its maintenance) is worth a second try.
        if ((error as { code?: string }).code !== '40P01' || attempt === 3) {
          throw error;
        }
      }
    }
  }

  private async createLiveKeyIndex(): Promise<void> {
    await this.serialised(async () => {
      await this.pool.query(
        `CREATE UNIQUE INDEX IF NOT EXISTS ${LIVE_KEY_INDEX} ON ${this.schema}.job (name, singleton_key)
         WHERE state < 'completed' AND singleton_key IS NOT NULL`,
      );
    });
  }

  private async serialised(work: () => Promise<void>): Promise<void> {
    const lock = await this.pool.connect();
    // The pool listens for errors on idle clients only: without this listener, the connection dropping
    // while the lock is held or waited for is an unhandled 'error' event, which ends the process.
    let broken: Error | undefined;
    const onError = (error: Error): void => {
      broken = error;
    };
    lock.on('error', onError);
    try {
      await lock.query('SELECT pg_advisory_lock($1)', [SCHEMA_LOCK_ID]);
      await work();
    } finally {
      if (!broken) {
        await lock.query('SELECT pg_advisory_unlock($1)', [SCHEMA_LOCK_ID]).catch(() => undefined);
      }
      lock.removeListener('error', onError);
      lock.release(broken);
    }
  }
}
