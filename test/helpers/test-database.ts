import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { Client } from 'pg';

/**
 * Where e2e suites keep their data. By default a fresh SQLite file in the suite's scratch folder.
 * With TEST_DATABASE_URL=postgres://... every suite gets its own PostgreSQL schema (created here,
 * dropped on close), selected through the connection's search_path, so suites never see each other's rows
 * (nor jobs: the job queue keeps them in `<schema>_pgboss`, dropped with it).
 */
export interface TestDatabase {
  url: string;
  kind: 'sqlite' | 'postgres';
  drop(): Promise<void>;
}

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;

export async function createTestDatabase(dir: string): Promise<TestDatabase> {
  if (!TEST_DATABASE_URL) {
    return { url: `sqlite:///${path.join(dir, 'test.db')}`, kind: 'sqlite', drop: () => Promise.resolve() };
  }
  const schema = `lr_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await withClient(TEST_DATABASE_URL, (c) => c.query(`CREATE SCHEMA "${schema}"`));
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: url.toString(),
    kind: 'postgres',
    drop: () =>
      // The job queue's pg-boss schema goes with it (src/jobs/pg-boss.store.ts names it after the app's).
      withClient(TEST_DATABASE_URL, (c) =>
        c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE; DROP SCHEMA IF EXISTS "${schema}_pgboss" CASCADE`),
      ).then(() => undefined),
  };
}

async function withClient<T>(url: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `PostgreSQL is unreachable at TEST_DATABASE_URL (${(error as Error).message}); start it or unset TEST_DATABASE_URL`,
      {
        cause: error,
      },
    );
  }
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
