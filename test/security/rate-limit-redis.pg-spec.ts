import Redis from 'ioredis';
import { registerAndLogin, uniqueEmail } from '../helpers/auth';
import { dropKeys, TEST_REDIS_URL as REDIS_URL } from '../helpers/redis-keys';
import { createTestApp, TestApp } from '../helpers/test-app';

const LIMITED: Record<string, string> = {
  RATE_LIMIT_ENABLED: 'true',
  RATE_LIMIT_LOGIN_FAILURES_PER_ACCOUNT: '3',
  RATE_LIMIT_LOGIN_FAILURES_PER_ADDRESS: '100',
};

describe('rate limits shared through Redis (e2e)', () => {
  const prefix = `lr-test:${process.pid}:${Date.now()}:`;
  let redis: Redis;
  const apps: TestApp[] = [];

  const start = async (env: Record<string, string> = {}): Promise<TestApp> => {
    const t = await createTestApp({ ...LIMITED, REDIS_URL, RATE_LIMIT_REDIS_PREFIX: prefix, ...env });
    apps.push(t);
    return t;
  };
  const login = (t: TestApp, email: string, password: string) => t.http.post('/auth/login').send({ email, password });

  beforeAll(async () => {
    redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
  });
  afterAll(async () => {
    for (const t of apps) {
      await t.close();
    }
    await redis.quit();
    await dropKeys(prefix);
  });

  it('counts failed logins of one account across two instances', async () => {
    const a = await start();
    const b = await start();
    const email = uniqueEmail('shared');
    await login(a, email, 'wrong-password').expect(401);
    await login(b, email, 'wrong-password').expect(401);
    await login(a, email, 'wrong-password').expect(401);
    const res = await login(b, email, 'wrong-password').expect(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    await login(a, email, 'wrong-password').expect(429);
  });

  it('keeps its keys under the prefix, hashed: no email or address in clear', async () => {
    const a = await start();
    const email = uniqueEmail('hashed');
    await login(a, email, 'wrong-password').expect(401);
    const keys = await redis.keys(`${prefix}*`);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.every((k) => /^lr-test:\d+:\d+:\{[a-z-]+:[A-Za-z0-9_-]{43}\}:(hits|block)$/.test(k))).toBe(true);
    expect(keys.join(' ')).not.toContain(email);
    expect(keys.join(' ')).not.toContain('127.0.0.1');
  });

  it('gives back the hits of successful logins in Redis too', async () => {
    const a = await start();
    const b = await start({ DATABASE_URL: a.config.DATABASE_URL });
    const user = await registerAndLogin(a.http);
    await login(a, user.email, 'wrong-password').expect(401);
    await login(b, user.email, 'wrong-password').expect(401);
    for (let i = 0; i < 5; i++) {
      await login(i % 2 ? a : b, user.email, user.password).expect(200);
    }
    await login(a, user.email, 'wrong-password').expect(401);
    await login(b, user.email, user.password).expect(429);
  });

  it('keeps limiting, per instance, while Redis is unreachable', async () => {
    const t = await start({ REDIS_URL: 'redis://127.0.0.1:1' });
    const email = uniqueEmail('offline');
    for (let i = 0; i < 3; i++) {
      await login(t, email, 'wrong-password').expect(401);
    }
    await login(t, email, 'wrong-password').expect(429);
  });
});
