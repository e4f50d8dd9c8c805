import { Module } from '@nestjs/common';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { MetricsModule } from '../metrics/metrics.module';
import { MetricsService } from '../metrics/metrics.service';
import { JobQueue } from './job-queue';
import { JobRunner } from './job-runner';
import { PgBossJobStore } from './pg-boss.store';
import { SqliteJobStore } from './sqlite-job.store';

/** The store for the configured database: pg-boss on PostgreSQL, the embedded `jobs` table on SQLite. */
function jobRunnerFor(config: AppConfig, db: DataSource, metrics: MetricsService): JobRunner {
  const store =
    db.options.type === 'postgres'
      ? new PgBossJobStore(
          (db.driver as unknown as { master: Pool }).master,
          // pg-boss's maintenance expires dead workers' leases: look at least once per lease.
          Math.min(60, config.JOBS_LEASE_SECONDS),
        )
      : new SqliteJobStore(db);
  return new JobRunner(
    store,
    {
      workers: config.JOBS_WORKERS,
      pollIntervalMs: config.JOBS_POLL_INTERVAL_MS,
      leaseSeconds: config.JOBS_LEASE_SECONDS,
      shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    },
    metrics,
  );
}

/**
 * The one job mechanism: import JobsModule, inject JobQueue, `send()` jobs and register handlers with
 * `work()` (in a provider's constructor or onModuleInit, so workers start with the application).
 */
@Module({
  imports: [MetricsModule],
  providers: [{ provide: JobQueue, inject: [AppConfig, DataSource, MetricsService], useFactory: jobRunnerFor }],
  exports: [JobQueue],
})
export class JobsModule {}
