import { Logger } from '@nestjs/common';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../src/config/app-config';
import { buildDataSourceOptions } from '../../src/database/data-source-options';
import { User } from '../../src/users/user.entity';
import { CapturingLogger } from '../helpers/capturing-logger';
import { TEST_ENV } from '../helpers/test-app';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';

describe('database query logging', () => {
  let dir: string;
  let database: TestDatabase;
  let db: DataSource;
  const captured = new CapturingLogger();
  const email = 'query.logger.secret@example.com';
  const hash = '$2b$04$thisIsAHashThatMustNeverAppearInAnyLogLine000000000000';

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lr-query-log-'));
    database = await createTestDatabase(dir);
    const config = loadConfig({ ...TEST_ENV, DATABASE_URL: database.url, DEBUG: 'true' });
    Logger.overrideLogger(captured);
    db = new DataSource(buildDataSourceOptions(config));
    await db.initialize();
    await db.runMigrations();
  });

  afterAll(async () => {
    Logger.overrideLogger(false);
    await db.destroy();
    await database.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('logs a failed query with its SQL and the driver message, never its parameters', async () => {
    const insert = () =>
      db.getRepository(User).insert({
        email,
        hashedPassword: hash,
        isActive: true,
        isAdmin: false,
        createdAt: new Date(),
        updatedAt: new Date(),
      });
    await insert();
    captured.lines.length = 0;

    await expect(insert()).rejects.toThrow();

    const output = captured.lines.join('\n');
    expect(output).toMatch(/query failed: .*(UNIQUE|duplicate key)/i);
    expect(output).toMatch(/INSERT INTO "users"/);
    expect(output).not.toContain(email);
    expect(output).not.toContain(hash);
  });

  it('with DEBUG on, logs every query without its parameters', async () => {
    captured.lines.length = 0;
    await db.getRepository(User).countBy({ email });
    const output = captured.lines.join('\n');
    expect(output).toMatch(/SELECT COUNT\(.*FROM "users"/);
    expect(output).not.toContain(email);
  });
});
