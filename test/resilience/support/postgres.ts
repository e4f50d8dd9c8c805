import { createScratchDatabase, runAsAdmin, type ScratchDatabase } from '../../helpers/scratch-database';
import type { Tally } from './tally';

/** The PostgreSQL server the resilience suites use, as an admin URL: fresh databases are created through it. */
export const PG_ADMIN_URL = process.env.RESILIENCE_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * Creates an empty database `lr_resilience_<pid>_<time>` on the server at PG_ADMIN_URL; its drop() closes
 * whatever connections are still open on it. When that server is unreachable, notes "skipped: no PostgreSQL
 * at ..." under `category` and returns undefined; on CI (CI=true), which always has PostgreSQL, it throws
 * instead, so the PostgreSQL run cannot silently vanish.
 */
export async function scratchDatabaseOrSkip(tally: Tally, category: string): Promise<ScratchDatabase | undefined> {
  try {
    await runAsAdmin(PG_ADMIN_URL, 'SELECT 1');
  } catch (error) {
    const why = `no PostgreSQL at ${PG_ADMIN_URL} (${(error as Error).message})`;
    if (process.env.CI === 'true') {
      throw new Error(`${why}; CI=true, so the PostgreSQL run fails instead of being skipped`, { cause: error });
    }
    tally.note(category, `skipped: ${why}`);
    return undefined;
  }
  return createScratchDatabase(PG_ADMIN_URL, 'lr_resilience');
}
