import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { isDatabaseUnavailable } from '../database/database-errors';
import { AuditLog } from './audit-log.entity';

/** Rows per INSERT at the most: 11 columns each stays far below SQLite's and PostgreSQL's parameter limits. */
const MAX_BATCH = 200;

interface Pending {
  row: QueryDeepPartialEntity<AuditLog>;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for audit rows. Every request waits for its own row to be committed before its response
 * leaves (so a 2xx always has its row, even across a crash), but the rows of requests that finish in the
 * same event-loop turn go to the database as one multi-row INSERT: one commit and one write of each
 * index page instead of one per row. While a batch is being written, the next one collects.
 */
@Injectable()
export class AuditWriter {
  private queue: Pending[] = [];
  private scheduled = false;
  private writing = false;

  constructor(@InjectRepository(AuditLog) private readonly logs: Repository<AuditLog>) {}

  /** Resolves once the row is committed; rejects with the database's error if its batch failed. */
  write(row: QueryDeepPartialEntity<AuditLog>): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ row, resolve, reject });
      this.schedule();
    });
  }

  /** Shutdown: resolves once every row handed over so far has been committed (or has failed). */
  async beforeApplicationShutdown(): Promise<void> {
    while (this.queue.length > 0 || this.writing || this.scheduled) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  private schedule(): void {
    if (!this.scheduled && !this.writing && this.queue.length > 0) {
      this.scheduled = true;
      setImmediate(() => void this.flush());
    }
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    this.writing = true;
    const batch = this.queue.splice(0, MAX_BATCH);
    try {
      await this.insert(batch);
      batch.forEach((pending) => pending.resolve());
    } catch (error) {
      if (batch.length === 1 || isDatabaseUnavailable(error)) {
        batch.forEach((pending) => pending.reject(error));
      } else {
        // One bad row must not fail its neighbours' requests: retry them one by one. (Not during an
        // outage: every retry would fail too, each after its own timeout.)
        for (const pending of batch) {
          await this.insert([pending]).then(pending.resolve, pending.reject);
        }
      }
    } finally {
      this.writing = false;
      this.schedule();
    }
  }

  private async insert(batch: Pending[]): Promise<void> {
    // Nothing reads the rows back, so TypeORM need not map the generated ids onto them.
    await this.logs
      .createQueryBuilder()
      .insert()
      .updateEntity(false)
      .values(batch.map((pending) => pending.row))
      .execute();
  }
}
