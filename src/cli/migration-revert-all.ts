import { runCli } from './cli-runtime';

/** Reverts every applied migration, newest first, printing each. */
runCli('migration:revert:all', async ({ db }) => {
  let reverted = 0;
  while (await hasApplied(db)) {
    await db.undoLastMigration({ transaction: 'each' });
    reverted += 1;
  }
  console.log(reverted === 0 ? 'nothing to revert' : `reverted ${reverted} migration(s)`);
});

async function hasApplied(db: import('typeorm').DataSource): Promise<boolean> {
  const table = db.options.migrationsTableName ?? 'migrations';
  if (!(await db.createQueryRunner().hasTable(table))) {
    return false;
  }
  const rows: { n: number | string }[] = await db.query(`SELECT COUNT(*) AS n FROM ${table}`);
  return Number(rows[0]?.n ?? 0) > 0;
}
