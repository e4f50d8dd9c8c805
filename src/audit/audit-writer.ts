import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { isDatabaseUnavailable } from '../database/database-errors';
import { entityInsert } from '../database/entity-rows';
import { AuditLog } from './audit-log.entity';

/** Rows per batch at the most. */
const MAX_BATCH = 200;

/**
 * The INSERT statements' sizes, in rows: a batch is written as a sum of these, largest first (13 rows: 8 + 4
 * + 1). Eight statement texts in all, each prepared once and reused by the driver's statement cache (10 columns
 * a row: 1,280 parameters at the most, far below SQLite's and PostgreSQL's limits); a statement for every
 * batch size, or with values written into its text, would be prepared again and again and fill the cache.
 */
const CHUNK_ROWS = [128, 64, 32, 16, 8, 4, 2, 1];

interface Pending {
  row: QueryDeepPartialEntity<AuditLog>;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for audit rows. Every request waits for its own row to be committed before its response
 * leaves (so a 2xx always has its row, even across a crash), but the rows of requests that finish in the
 * same event-loop turn go to the database as multi-row INSERTs (a few at most, see CHUNK_ROWS): a commit
 * and a write of each index page per statement instead of per row. While a batch is being written, the next
 * one collects.
 */
@Injectable()
export class AuditWriter {
  private queue: Pending[] = [];
  private scheduled = false;
  private writing = false;
  private readonly statements = new Map<number, ReturnType<typeof entityInsert>>();

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
    let batch = this.queue.splice(0, MAX_BATCH);
    try {
      for (const rows of CHUNK_ROWS) {
        while (batch.length >= rows) {
          const outage = await this.writeChunk(batch.slice(0, rows));
          batch = batch.slice(rows);
          if (outage) {
            // The database is down: the rest of the batch fails with it rather than each chunk timing out.
            batch.forEach((pending) => pending.reject(outage));
            batch = [];
          }
        }
      }
    } finally {
      this.writing = false;
      this.schedule();
    }
  }

  /**
   * One INSERT; its requests learn the outcome (a chunk that failed is retried row by row). Returns the
   * error when the database is unavailable.
   */
  private async writeChunk(chunk: Pending[]): Promise<unknown> {
    try {
      await this.insert(chunk);
      chunk.forEach((pending) => pending.resolve());
    } catch (error) {
      if (isDatabaseUnavailable(error)) {
        chunk.forEach((pending) => pending.reject(error));
        return error;
      }
      if (chunk.length === 1) {
        chunk.forEach((pending) => pending.reject(error));
      } else {
        // One bad row must not fail its neighbours' requests: retry them one by one. (Not during an
        // outage: every retry would fail too, each after its own timeout.)
        for (const pending of chunk) {
          await this.insert([pending]).then(pending.resolve, pending.reject);
        }
      }
    }
    return undefined;
  }

  private async insert(chunk: Pending[]): Promise<void> {
    const statement = this.statementFor(chunk.length);
    await this.logs.query(statement.sql, statement.parameters(...chunk.map((pending) => pending.row)));
  }

  /** The INSERT of `rows` rows, written from the entity's metadata on first use. */
  private statementFor(rows: number): ReturnType<typeof entityInsert> {
    let statement = this.statements.get(rows);
    if (!statement) {
      statement = entityInsert(this.logs.metadata, this.logs.manager.connection.driver, rows);
      this.statements.set(rows, statement);
    }
    return statement;
  }
}
