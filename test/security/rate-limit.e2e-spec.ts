import { registerAndLogin, uniqueEmail } from '../helpers/auth';
import { auditRowsOf } from '../helpers/rows';
import { createTestApp, TestApp } from '../helpers/test-app';

/** Limits on, tiny numbers; each test builds its own app, so its counters start at zero. */
const LIMITED: Record<string, string> = {
  RATE_LIMIT_ENABLED: 'true',
  RATE_LIMIT_LOGIN_FAILURES_PER_ACCOUNT: '3',
  RATE_LIMIT_LOGIN_FAILURES_PER_ADDRESS: '50',
  RATE_LIMIT_REGISTER_MAX: '50',
  RATE_LIMIT_REFRESH_MAX: '50',
  RATE_LIMIT_DRAFT_MAX: '50',
};

async function withApp(env: Record<string, string>, fn: (t: TestApp) => Promise<void>): Promise<void> {
  const t = await createTestApp({ ...LIMITED, ...env });
  try {
    await fn(t);
  } finally {
    await t.close();
  }
}

const login = (t: TestApp, email: string, password: string, forwardedFor?: string) => {
  const req = t.http.post('/auth/login');
  if (forwardedFor) {
    req.set('X-Forwarded-For', forwardedFor);
  }
  return req.send({ email, password });
};

function expectRetryAfter(res: { headers: Record<string, string>; body: unknown }, max: number): void {
  expect(res.headers['retry-after']).toMatch(/^\d+$/);
  const seconds = Number(res.headers['retry-after']);
  expect(seconds).toBeGreaterThan(0);
  expect(seconds).toBeLessThanOrEqual(max);
  expect(res.body).toEqual({ detail: 'Too many requests, please retry later', code: 'rate_limited' });
}

describe('rate limits (e2e, in-memory store)', () => {
  it('locks an account after its failed logins (429 + Retry-After, audited, counted), not its neighbours', () =>
    withApp({}, async (t) => {
      const user = await registerAndLogin(t.http);
      const neighbour = await registerAndLogin(t.http);
      for (let i = 0; i < 3; i++) {
        await login(t, user.email, 'wrong-password').expect(401);
      }
      const locked = await login(t, user.email, user.password).set('X-Request-Id', 'locked-1').expect(429);
      expectRetryAfter(locked, 900);
      expect(await auditRowsOf(t.db, 'locked-1')).toEqual([
        expect.objectContaining({ action: 'login', statusCode: 429, details: 'rate limited: login-account' }),
      ]);
      const metrics = (await t.http.get('/metrics').expect(200)).text;
      expect(metrics).toContain('rate_limited_requests_total 1');
      expect(metrics).toMatch(/http_requests_total{method="POST",route="\/auth\/login",status_code="429"} 1/);

      await login(t, neighbour.email, neighbour.password).expect(200);
      await t.http.get('/users/me').set(user.auth).expect(200);
      await login(t, `  ${user.email.toUpperCase()} `, user.password).expect(429);
    }));

  it('does not count successful logins: failures, many successes, then the last allowed failure is still a 401', () =>
    withApp({}, async (t) => {
      const user = await registerAndLogin(t.http);
      await login(t, user.email, 'wrong-password').expect(401);
      await login(t, user.email, 'wrong-password').expect(401);
      for (let i = 0; i < 10; i++) {
        await login(t, user.email, user.password).expect(200);
      }
      await login(t, user.email, 'wrong-password').expect(401);
      await login(t, user.email, user.password).expect(429);
    }));

  it('counts an unknown email like a known one (no hint that the account exists)', () =>
    withApp({}, async (t) => {
      const ghost = uniqueEmail('ghost');
      for (let i = 0; i < 3; i++) {
        await login(t, ghost, 'wrong-password').expect(401);
      }
      await login(t, ghost, 'wrong-password').expect(429);
    }));

  it('limits failed logins per client address across accounts', () =>
    withApp({ RATE_LIMIT_LOGIN_FAILURES_PER_ACCOUNT: '100', RATE_LIMIT_LOGIN_FAILURES_PER_ADDRESS: '4' }, async (t) => {
      const user = await registerAndLogin(t.http);
      for (let i = 0; i < 4; i++) {
        await login(t, uniqueEmail('spray'), 'wrong-password').expect(401);
      }
      const res = await login(t, user.email, user.password).set('X-Request-Id', 'addr-1').expect(429);
      expectRetryAfter(res, 900);
      expect(await auditRowsOf(t.db, 'addr-1')).toEqual([
        expect.objectContaining({ statusCode: 429, details: 'rate limited: login-address' }),
      ]);
    }));

  it('ignores X-Forwarded-For without TRUST_PROXY: a spoofed header does not escape the address limit', () =>
    withApp({ RATE_LIMIT_LOGIN_FAILURES_PER_ACCOUNT: '100', RATE_LIMIT_LOGIN_FAILURES_PER_ADDRESS: '3' }, async (t) => {
      for (let i = 1; i <= 3; i++) {
        await login(t, uniqueEmail('spoof'), 'wrong-password', `198.51.100.${i}`)
          .set('X-Request-Id', `spoof-${i}`)
          .expect(401);
      }
      await login(t, uniqueEmail('spoof'), 'wrong-password', '198.51.100.99').expect(429);
      const [row] = await auditRowsOf(t.db, 'spoof-1');
      expect(row.ipAddress).toMatch(/^(::ffff:)?127\.0\.0\.1$|^::1$/);
    }));

  it('believes X-Forwarded-For under TRUST_PROXY: each client address has its own count', () =>
    withApp(
      {
        TRUST_PROXY: 'loopback',
        RATE_LIMIT_LOGIN_FAILURES_PER_ACCOUNT: '100',
        RATE_LIMIT_LOGIN_FAILURES_PER_ADDRESS: '3',
      },
      async (t) => {
        for (let i = 0; i < 3; i++) {
          await login(t, uniqueEmail('proxied'), 'wrong-password', '203.0.113.10')
            .set('X-Request-Id', `proxied-${i}`)
            .expect(401);
        }
        await login(t, uniqueEmail('proxied'), 'wrong-password', '203.0.113.10').expect(429);
        await login(t, uniqueEmail('proxied'), 'wrong-password', '203.0.113.11').expect(401);
        const [row] = await auditRowsOf(t.db, 'proxied-0');
        expect(row.ipAddress).toBe('203.0.113.10');
      },
    ));

  it('shares the per-account count between login and password change (a wrong current password is a failed check)', () =>
    withApp({}, async (t) => {
      const user = await registerAndLogin(t.http);
      await login(t, user.email, 'wrong-password').expect(401);
      await login(t, user.email, 'wrong-password').expect(401);
      const change = (current: string) =>
        t.http
          .patch('/users/me/password')
          .set(user.auth)
          .send({ current_password: current, new_password: 'brand-new-passphrase' });
      await change('wrong-password').expect(400);
      expectRetryAfter(await change(user.password).expect(429), 900);
      await login(t, user.email, user.password).expect(429);
    }));

  it('lets an account in again once its block has passed', () =>
    withApp({ RATE_LIMIT_LOGIN_WINDOW_SECONDS: '1', RATE_LIMIT_LOGIN_FAILURES_PER_ACCOUNT: '2' }, async (t) => {
      const user = await registerAndLogin(t.http);
      await login(t, user.email, 'wrong-password').expect(401);
      await login(t, user.email, 'wrong-password').expect(401);
      const res = await login(t, user.email, user.password).expect(429);
      expect(res.headers['retry-after']).toBe('1');
      await new Promise((resolve) => setTimeout(resolve, 1100));
      await login(t, user.email, user.password).expect(200);
    }));

  it('limits registrations per address, whatever their outcome', () =>
    withApp({ RATE_LIMIT_REGISTER_MAX: '3' }, async (t) => {
      const email = uniqueEmail();
      await t.http.post('/auth/register').send({ email, password: 'password123' }).expect(201);
      await t.http.post('/auth/register').send({ email, password: 'password123' }).expect(400);
      await t.http.post('/auth/register').send({ email: 'bad', password: 'x' }).expect(422);
      const res = await t.http
        .post('/auth/register')
        .set('X-Request-Id', 'reg-429')
        .send({ email: uniqueEmail(), password: 'password123' })
        .expect(429);
      expectRetryAfter(res, 3600);
      expect(await auditRowsOf(t.db, 'reg-429')).toEqual([
        expect.objectContaining({ action: 'register', statusCode: 429 }),
      ]);
    }));

  it('limits refreshes per address', () =>
    withApp({ RATE_LIMIT_REFRESH_MAX: '3' }, async (t) => {
      const user = await registerAndLogin(t.http);
      let token = user.refresh;
      for (let i = 0; i < 3; i++) {
        token = (await t.http.post('/auth/refresh').send({ refresh_token: token }).expect(200)).body.refresh_token;
      }
      expectRetryAfter(await t.http.post('/auth/refresh').send({ refresh_token: token }).expect(429), 60);
    }));

  it('limits mission drafts per user, not per address', () =>
    withApp({ RATE_LIMIT_DRAFT_MAX: '2' }, async (t) => {
      const user = await registerAndLogin(t.http);
      const other = await registerAndLogin(t.http);
      for (let i = 0; i < 2; i++) {
        expect((await t.http.post('/missions/draft').set(user.auth).send({})).status).not.toBe(429);
      }
      expectRetryAfter(await t.http.post('/missions/draft').set(user.auth).send({}).expect(429), 3600);
      expect((await t.http.post('/missions/draft').set(other.auth).send({})).status).not.toBe(429);
    }));

  it('leaves routes without a limit alone', () =>
    withApp({ RATE_LIMIT_LOGIN_FAILURES_PER_ADDRESS: '1', RATE_LIMIT_REGISTER_MAX: '1' }, async (t) => {
      const user = await registerAndLogin(t.http);
      for (let i = 0; i < 30; i++) {
        await t.http.get('/users/me').set(user.auth).expect(200);
      }
    }));

  it('turns every limit off with RATE_LIMIT_ENABLED=false', () =>
    withApp({ RATE_LIMIT_ENABLED: 'false', RATE_LIMIT_REGISTER_MAX: '1' }, async (t) => {
      const user = await registerAndLogin(t.http);
      for (let i = 0; i < 10; i++) {
        await login(t, user.email, 'wrong-password').expect(401);
      }
      await login(t, user.email, user.password).expect(200);
      await t.http.post('/auth/register').send({ email: uniqueEmail(), password: 'password123' }).expect(201);
    }));
});
