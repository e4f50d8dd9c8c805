import type { Database as SqliteDatabase } from 'better-sqlite3';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { DataSource } from 'typeorm';

/** One statement of a transaction script, with named parameters (`:userId`); strings and numbers only. */
export interface Statement {
  sql: string;
  params?: Record<string, string | number | null>;
}

export interface StatementResult {
  rows: Record<string, unknown>[];
  /** Rows changed by an INSERT, UPDATE or DELETE. */
  affected: number;
}

export type Dialect = 'sqlite' | 'postgres';

/**
 * A multi-statement transaction written once for both databases: a generator that yields each statement
 * and receives its result, so the same steps can be driven synchronously (SQLite) or asynchronously
 * (PostgreSQL). Its return value is the transaction's outcome; throwing rolls everything back.
 */
export type TransactionScript<T> = Generator<Statement, T, StatementResult>;

/**
 * Runs a script in one transaction. On SQLite TypeORM shares a single connection, so a transaction with
 * an `await` inside would let other requests' statements run inside it: the whole script runs
 * synchronously instead, in one better-sqlite3 `BEGIN IMMEDIATE` transaction (nothing else runs until it
 * commits). On PostgreSQL it runs on a pooled connection of its own, statement by statement.
 */
export async function runTransactionScript<T>(
  db: DataSource,
  script: (dialect: Dialect) => TransactionScript<T>,
): Promise<T> {
  if (db.options.type === 'postgres') {
    return runOnPostgres(db, script('postgres'));
  }
  const sqlite = (db.driver as unknown as { databaseConnection: SqliteDatabase }).databaseConnection;
  // No code here opens a transaction across an await, but a migration at start-up does: wait for it.
  while (sqlite.inTransaction) {
    await nextTurn();
  }
  return sqlite
    .transaction(() => drive(script('sqlite'), (statement) => runOnSqlite(db, sqlite, statement)))
    .immediate();
}

function drive<T>(steps: TransactionScript<T>, run: (statement: Statement) => StatementResult): T {
  let next = steps.next();
  while (!next.done) {
    next = steps.next(run(next.value));
  }
  return next.value;
}

function runOnSqlite(db: DataSource, sqlite: SqliteDatabase, { sql, params }: Statement): StatementResult {
  const [query, values] = db.driver.escapeQueryWithParameters(sql, params ?? {}) as [string, unknown[]];
  const prepared = sqlite.prepare(query);
  if (prepared.reader) {
    return { rows: prepared.all(...values) as Record<string, unknown>[], affected: 0 };
  }
  return { rows: [], affected: prepared.run(...values).changes };
}

async function runOnPostgres<T>(db: DataSource, steps: TransactionScript<T>): Promise<T> {
  const runner = db.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction();
    let next = steps.next();
    while (!next.done) {
      const [query, values] = db.driver.escapeQueryWithParameters(next.value.sql, next.value.params ?? {});
      const result = await runner.query(query, values, true);
      const rows = Array.isArray(result.records) ? (result.records as Record<string, unknown>[]) : [];
      next = steps.next({ rows, affected: result.affected ?? 0 });
    }
    await runner.commitTransaction();
    return next.value;
  } catch (error) {
    if (runner.isTransactionActive) {
      await runner.rollbackTransaction();
    }
    throw error;
  } finally {
    await runner.release();
  }
}

/** A timestamp as a statement parameter, stored as TypeORM stores it on each engine (so entities read it back). */
export function timestampParam(date: Date, dialect: Dialect): string {
  const iso = date.toISOString();
  return dialect === 'postgres' ? iso : iso.replace('T', ' ').replace('Z', '');
}
