import { AuditLog } from '../audit/audit-log.entity';
import { CliError, ensureMigrated, parseCliArgs, runCli } from './cli-runtime';

const USAGE = 'usage: npm run audit:prune -- --older-than-days N (N a whole number of days)';

/** npm run audit:prune -- --older-than-days 90: the only way audit rows are ever deleted. */
runCli('audit:prune', async ({ db }) => {
  const values = parseCliArgs({ 'older-than-days': { type: 'string' } }, USAGE);
  const raw = values['older-than-days'];
  if (raw === undefined || !/^\d+$/.test(raw)) {
    throw new CliError(USAGE);
  }
  await ensureMigrated(db);
  const cutoff = new Date(Date.now() - Number(raw) * 86_400_000);
  const result = await db
    .createQueryBuilder()
    .delete()
    .from(AuditLog)
    .where('created_at < :cutoff', { cutoff })
    .execute();
  console.log(`deleted ${result.affected ?? 0} audit row(s) older than ${cutoff.toISOString()}`);
});
