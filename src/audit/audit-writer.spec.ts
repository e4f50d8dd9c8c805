import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AbstractLogger, DataSource, type LogLevel, type LogMessage } from 'typeorm';
import { loadConfig } from '../config/app-config';
import { buildDataSourceOptions } from '../database/data-source-options';
import { runPendingMigrations } from '../database/migrate';
import { AuditLog } from './audit-log.entity';
import { AuditWriter } from './audit-writer';

const statements: string[] = [];

/** Records every statement the DataSource runs. */
class StatementLog extends AbstractLogger {
  protected writeLog(_level: LogLevel, message: LogMessage | LogMessage[]): void {
    for (const entry of Array.isArray(message) ? message : [message]) {
      if (entry.type === 'query') {
        statements.push(String(entry.message));
      }
    }
  }
}

/** The writer against a real, migrated SQLite file. */
describe('AuditWriter (group commit)', () => {
  let dir: string;
  let db: DataSource;
  let writer: AuditWriter;

  const row = (action: string, requestId: string) => ({
    userId: null,
    action,
    statusCode: 200,
    requestId,
    createdAt: new Date(),
  });

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lr-audit-writer-'));
    const options = buildDataSourceOptions(loadConfig({ DATABASE_URL: `sqlite:///${dir}/audit.db` }));
    db = new DataSource({ ...options, logging: ['query'], logger: new StatementLog(['query']) });
    await db.initialize();
    await runPendingMigrations(db);
    writer = new AuditWriter(db.getRepository(AuditLog));
  });
  afterAll(async () => {
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    statements.length = 0;
  });

  it('writes the rows of one event-loop turn in one INSERT, and each caller waits for its own row', async () => {
    await Promise.all(['a', 'b', 'c', 'd'].map((id) => writer.write(row('batch.test', `batch-${id}`))));
    const inserts = statements.filter((sql) => sql.startsWith('INSERT INTO "audit_logs"'));
    expect(inserts).toHaveLength(1);
    expect(await db.getRepository(AuditLog).countBy({ action: 'batch.test' })).toBe(4);
  });

  it('writes a batch as a sum of fixed statement sizes, with no value in the statement text', async () => {
    const ids = Array.from({ length: 13 }, (_, i) => `sizes-${i}`);
    await Promise.all(ids.map((id) => writer.write({ ...row('sizes.test', id), statusCode: 201 + (id.length % 2) })));
    const inserts = statements.filter((sql) => sql.startsWith('INSERT INTO "audit_logs"'));
    // 13 rows: 8 + 4 + 1, each a statement of its own size.
    expect(inserts.map((sql) => sql.split('), (').length)).toEqual([8, 4, 1]);
    expect(inserts.every((sql) => !/\b20[12]\b/.test(sql) && !sql.includes('sizes-'))).toBe(true);
    const rows = await db.getRepository(AuditLog).findBy({ action: 'sizes.test' });
    expect(rows.map((r) => r.requestId).sort()).toEqual([...ids].sort());
  });

  it('fails only the bad row of a batch: its neighbours are written and their callers resolve', async () => {
    const results = await Promise.allSettled([
      writer.write(row('isolation.test', 'good-1')),
      writer.write({ ...row('isolation.test', 'bad'), statusCode: null as unknown as number }),
      writer.write(row('isolation.test', 'good-2')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const rows = await db.getRepository(AuditLog).findBy({ action: 'isolation.test' });
    expect(rows.map((r) => r.requestId).sort()).toEqual(['good-1', 'good-2']);
  });
});
