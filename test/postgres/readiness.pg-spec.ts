import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { dropKeys, suiteKeyPrefix, TEST_REDIS_URL } from '../helpers/redis-keys';
import { ServerProcess, startServer } from '../helpers/server-process';
import { startTcpProxy, TcpProxy } from '../helpers/tcp-proxy';
import { createTestDatabase, TestDatabase } from '../helpers/test-database';

const REDIS_URL = new URL(TEST_REDIS_URL);

async function eventually<T>(fn: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await fn();
  while (!ok(last) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    last = await fn();
  }
  return last;
}

/**
 * The server reaches PostgreSQL and Redis through loopback proxies that the test cuts and restores:
 * /readyz turns 503 naming what is down, the process keeps running, and it recovers without a restart.
 */
describe('readiness follows PostgreSQL and Redis (postgres)', () => {
  let dir: string;
  let database: TestDatabase;
  let pgProxy: TcpProxy;
  let redisProxy: TcpProxy;
  let server: ServerProcess;
  // Its own rate-limit keys: the shared Redis outlives the run, and the default prefix's register counts
  // from earlier runs would turn this suite's registrations into 429s.
  const prefix = suiteKeyPrefix();

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lr-ready-'));
    database = await createTestDatabase(dir);
    const pgUrl = new URL(database.url);
    pgProxy = await startTcpProxy(pgUrl.hostname, Number(pgUrl.port || 5432));
    redisProxy = await startTcpProxy(REDIS_URL.hostname, Number(REDIS_URL.port || 6379));
    pgUrl.host = `127.0.0.1:${pgProxy.port}`;
    server = await startServer({
      DATABASE_URL: pgUrl.toString(),
      REDIS_URL: `redis://127.0.0.1:${redisProxy.port}`,
      BCRYPT_ROUNDS: '4',
      RATE_LIMIT_ENABLED: 'true',
      RATE_LIMIT_REDIS_PREFIX: prefix,
      LOG_DIR: path.join(dir, 'logs'),
    });
  });

  afterAll(async () => {
    await server?.stop();
    await pgProxy?.close();
    await redisProxy?.close();
    await dropKeys(prefix);
    await database?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const ready = async (): Promise<{ status: number; body: { detail?: string; checks?: Record<string, string> } }> => {
    const res = await fetch(`${server.url}/readyz`);
    return { status: res.status, body: (await res.json()) as { detail?: string; checks?: Record<string, string> } };
  };
  const register = (email: string): Promise<Response> =>
    fetch(`${server.url}/auth/register`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email, password: 'password123' }),
    });

  it('reports both dependencies up', async () => {
    expect(await ready()).toEqual({ status: 200, body: { status: 'ready', checks: { database: 'up', redis: 'up' } } });
  });

  it('turns 503 while PostgreSQL is cut off, answers writes with a generic 503, and recovers', async () => {
    await pgProxy.down();
    const down = await eventually(ready, (r) => r.status === 503);
    expect(down).toEqual({ status: 503, body: { detail: 'Not ready: database unavailable', code: 'not_ready' } });
    const write = await register('during-outage@example.com');
    expect(write.status).toBe(503);
    expect(await write.json()).toEqual({
      detail: 'Service unavailable: the database cannot be reached, please retry',
      code: 'database_unavailable',
    });
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

    await pgProxy.up();
    expect((await eventually(ready, (r) => r.status === 200)).status).toBe(200);
    expect(
      (
        await eventually(
          () => register('after-outage@example.com'),
          (r) => r.status === 201,
        )
      ).status,
    ).toBe(201);
  });

  it('turns 503 while Redis is cut off, keeps serving logins, and recovers', async () => {
    await redisProxy.down();
    const down = await eventually(ready, (r) => r.status === 503);
    expect(down).toEqual({ status: 503, body: { detail: 'Not ready: redis unavailable', code: 'not_ready' } });
    const login = await fetch(`${server.url}/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'after-outage@example.com', password: 'password123' }),
    });
    expect(login.status).toBe(200);
    await redisProxy.up();
    expect((await eventually(ready, (r) => r.status === 200)).body.checks).toEqual({ database: 'up', redis: 'up' });
    expect(server.child.exitCode).toBeNull();
  });
});
