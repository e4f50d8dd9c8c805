import { DataSource } from 'typeorm';

/** Any constant works; it only has to be the same for every instance of this app. */
const MIGRATION_LOCK_ID = 731_164_000;

/**
 * Applies pending migrations at start-up. On PostgreSQL several instances may start at once, so the
 * run is serialised by a session advisory lock: the first instance migrates, the others wait for it
 * and then find nothing pending.
 */
export async function runPendingMigrations(db: DataSource): Promise<void> {
  if (db.options.type !== 'postgres') {
    await db.runMigrations({ transaction: 'each' });
    return;
  }
  const lock = db.createQueryRunner();
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    await db.runMigrations({ transaction: 'each' });
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => undefined);
    await lock.release();
  }
}
