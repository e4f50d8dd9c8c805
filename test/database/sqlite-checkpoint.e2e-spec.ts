import * as fs from 'node:fs';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { TEST_DATABASE_URL } from '../helpers/test-database';

/**
 * SQLite's WAL checkpoints run in a worker thread (src/database/sqlite-checkpointer.ts), not inside the
 * app connection's commits on the event loop. In WAL mode the database file only receives pages through
 * checkpoints, so it growing after writes the app connection made shows the worker copied them.
 */
(TEST_DATABASE_URL ? describe.skip : describe)('SQLite WAL checkpoints', () => {
  let t: TestApp;
  const file = (): string =>
    (t.db.driver as unknown as { databaseConnection: { name: string } }).databaseConnection.name;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('the app connection never checkpoints; the worker copies its pages into the database file', async () => {
    expect(await t.db.query('PRAGMA wal_autocheckpoint')).toEqual([{ wal_autocheckpoint: 0 }]);
    const before = fs.statSync(file()).size;
    // About 2.5 MB of rows: over 600 pages, fewer than the 1,000 after which the connection would
    // checkpoint by itself under SQLite's default.
    await t.db.query(
      `INSERT INTO audit_logs (action, status_code, created_at, details)
       WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2500)
       SELECT 'test.fill', 200, '2026-01-01 00:00:00.000', hex(randomblob(500)) FROM n`,
    );
    const deadline = Date.now() + 10_000;
    while (fs.statSync(file()).size < before + 2_000_000 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(fs.statSync(file()).size).toBeGreaterThan(before + 2_000_000);
  });
});
