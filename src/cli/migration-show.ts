import { runCli } from './cli-runtime';

/** Lists every migration as applied [X] or pending [ ]; exits 0 either way. */
runCli('migration:show', async ({ db }) => {
  const hasTable = await db.createQueryRunner().hasTable(db.options.migrationsTableName ?? 'migrations');
  const rows: { name: string }[] = hasTable
    ? await db.query(`SELECT name FROM ${db.options.migrationsTableName ?? 'migrations'}`)
    : [];
  const applied = new Set(rows.map((r) => r.name));
  let pending = 0;
  for (const migration of db.migrations) {
    const name = migration.name ?? migration.constructor.name;
    const done = applied.has(name);
    pending += done ? 0 : 1;
    console.log(`[${done ? 'X' : ' '}] ${name}`);
  }
  console.log(`${db.migrations.length - pending} applied, ${pending} pending`);
});
