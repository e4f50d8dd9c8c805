import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';
import { dropKeys, suiteKeyPrefix, TEST_REDIS_URL as REDIS_URL } from '../helpers/redis-keys';
import { ServerProcess, startServer } from '../helpers/server-process';
import { createTestDatabase, TestDatabase } from '../helpers/test-database';

/**
 * Two app processes behind an imaginary load balancer: one PostgreSQL schema, one Redis. Whatever one
 * instance does to sessions, rate-limit counts and missions, the other sees.
 */
describe('two instances on one PostgreSQL and one Redis (postgres)', () => {
  let dir: string;
  let database: TestDatabase;
  let a: ServerProcess;
  let b: ServerProcess;
  const prefix = suiteKeyPrefix();

  beforeAll(async () => {
    const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect().catch((error: Error) => {
      throw new Error(`Redis is unreachable at ${REDIS_URL} (${error.message}); start it or set TEST_REDIS_URL`, {
        cause: error,
      });
    });
    redis.disconnect();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lr-two-'));
    database = await createTestDatabase(dir);
    const env = {
      DATABASE_URL: database.url,
      REDIS_URL,
      RATE_LIMIT_ENABLED: 'true',
      RATE_LIMIT_REDIS_PREFIX: prefix,
      RATE_LIMIT_LOGIN_FAILURES_PER_ACCOUNT: '3',
      BCRYPT_ROUNDS: '4',
      LOG_DIR: path.join(dir, 'logs'),
    };
    // Both start at once on an empty schema: one migrates under the advisory lock, the other waits.
    [a, b] = await Promise.all([startServer(env), startServer(env)]);
  });

  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await dropKeys(prefix);
    await database?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const post = (server: ServerProcess, route: string, body: unknown, token?: string): Promise<Response> =>
    fetch(`${server.url}${route}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
  const get = (server: ServerProcess, route: string, token: string): Promise<Response> =>
    fetch(`${server.url}${route}`, { headers: { Authorization: `Bearer ${token}` } });
  const login = async (server: ServerProcess, email: string, password: string): Promise<{ access_token: string }> => {
    const res = await post(server, '/auth/login', { email, password });
    expect(res.status).toBe(200);
    return (await res.json()) as { access_token: string };
  };

  it('accepts a token from one instance on the other, and a logout on one revokes on the other', async () => {
    expect((await post(a, '/auth/register', { email: 'twin@example.com', password: 'password123' })).status).toBe(201);
    const tokens = await login(a, 'twin@example.com', 'password123');
    expect((await get(b, '/users/me', tokens.access_token)).status).toBe(200);
    expect((await post(b, '/auth/logout', {}, tokens.access_token)).status).toBe(204);
    expect((await get(a, '/users/me', tokens.access_token)).status).toBe(401);
  });

  it('shares login-failure counts: failures spread over both instances still hit the per-account limit', async () => {
    expect((await post(b, '/auth/register', { email: 'locked@example.com', password: 'password123' })).status).toBe(
      201,
    );
    const statuses: number[] = [];
    for (const server of [a, b, a, b]) {
      statuses.push(
        (await post(server, '/auth/login', { email: 'locked@example.com', password: 'wrong-password' })).status,
      );
    }
    // Three failures are allowed per account in the window; the fourth, on either instance, is refused.
    expect(statuses).toEqual([401, 401, 401, 429]);
    const limited = await post(a, '/auth/login', { email: 'locked@example.com', password: 'wrong-password' });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('transitions each due mission exactly once when both instances run the job at the same moment', async () => {
    expect((await post(a, '/auth/register', { email: 'boss@example.com', password: 'password123' })).status).toBe(201);
    const client = new Client({ connectionString: database.url });
    await client.connect();
    await client.query("UPDATE users SET is_admin = true WHERE email = 'boss@example.com'");
    await client.end();
    const admin = await login(b, 'boss@example.com', 'password123');

    const day = (offset: number): string => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) {
      const created = await post(
        a,
        '/missions',
        { name: `Race ${i}`, mission_type: 'road_century', event_start_date: day(-3), event_end_date: day(-2) },
        admin.access_token,
      );
      expect(created.status).toBe(201);
      const { id } = (await created.json()) as { id: string };
      expect(
        (await post(b, `/missions/${id}/transition`, { target_state: 'TRAINING' }, admin.access_token)).status,
      ).toBe(200);
      ids.push(id);
    }

    const [fromA, fromB] = await Promise.all([
      post(a, '/jobs/check-mission-transitions', {}, admin.access_token),
      post(b, '/jobs/check-mission-transitions', {}, admin.access_token),
    ]);
    type Job = { transitions_performed: number; transitions: { mission_id: string; new_state: string }[] };
    const jobs = [(await fromA.json()) as Job, (await fromB.json()) as Job];
    const steps = jobs.flatMap((j) => j.transitions.map((t) => `${t.mission_id}:${t.new_state}`));
    expect(steps).toHaveLength(ids.length * 2);
    expect(new Set(steps).size).toBe(steps.length);
    expect(jobs[0].transitions_performed + jobs[1].transitions_performed).toBe(ids.length * 2);
    for (const id of ids) {
      const mission = (await (await get(a, `/missions/${id}`, admin.access_token)).json()) as { state: string };
      expect(mission.state).toBe('MISSION_COMPLETE');
    }
  });
});
