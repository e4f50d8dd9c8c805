import type { Response } from 'supertest';
import { LoggedIn, registerAdmin, registerAndLogin, uniqueEmail } from '../helpers/auth';
import { createTestApp, TestApp } from '../helpers/test-app';

/** What an error body must never show: stack frames, source paths, SQL, driver or library names. */
const LEAKS = [
  /\bat \S+ \(/,
  /\.(ts|js):\d+/,
  /node_modules|\/work\/|\/tmp\/|\\src\\/,
  /QueryFailedError|EntityNotFound|TypeORM|typeorm/i,
  /sqlite|better-sqlite3|postgres|\bpg\b/i,
  /\b(SELECT|INSERT|UPDATE|DELETE) .*\b(FROM|INTO|SET)\b/,
  /no such table|does not exist|constraint|syntax error/i,
  /passport|jsonwebtoken|JsonWebTokenError|class-validator|\bexpress\b|@nestjs|NestJS/i,
  /stack|Error:/,
];

function expectNoLeak(res: Response, label: string): void {
  expect({ label, hasDetail: res.body !== null && typeof res.body === 'object' && 'detail' in res.body }).toEqual({
    label,
    hasDetail: true,
  });
  const text = JSON.stringify(res.body);
  for (const pattern of LEAKS) {
    expect({ label, leak: pattern.test(text) ? `${pattern} in ${text}` : null }).toEqual({ label, leak: null });
  }
  expect(res.headers['x-powered-by']).toBeUndefined();
  expect(res.headers['x-content-type-options']).toBe('nosniff');
}

describe('information leaks (e2e)', () => {
  let t: TestApp;
  let user: LoggedIn;
  let admin: LoggedIn;

  beforeAll(async () => {
    t = await createTestApp();
    user = await registerAndLogin(t.http);
    admin = await registerAdmin(t);
  });
  afterAll(async () => {
    await t.close();
  });

  it('shows no stack, SQL, path or library name in any error, across the endpoints', async () => {
    const json = (req: ReturnType<TestApp['http']['post']>) => req.set('Content-Type', 'application/json');
    const provocations: [string, () => Promise<Response>, number][] = [
      ['malformed JSON', () => json(t.http.post('/auth/login')).send('{"email":'), 400],
      ['deep JSON', () => json(t.http.post('/auth/login')).send('['.repeat(100) + ']'.repeat(100)), 400],
      ['wrong content type', () => t.http.post('/auth/login').set('Content-Type', 'text/plain').send('x'), 415],
      [
        'body too large',
        () => t.http.post('/auth/register').send({ email: uniqueEmail(), password: 'x'.repeat(2 * 1024 * 1024) }),
        413,
      ],
      ['invalid registration', () => t.http.post('/auth/register').send({ email: 'nope', password: 1 }), 422],
      [
        'duplicate registration',
        () => t.http.post('/auth/register').send({ email: user.email, password: 'password123' }),
        400,
      ],
      [
        'operator injection in login',
        () => t.http.post('/auth/login').send({ email: { $gt: '' }, password: { $ne: null } }),
        422,
      ],
      [
        'NUL in a login email',
        () => t.http.post('/auth/login').send({ email: 'a\u0000b@example.com', password: 'x' }),
        422,
      ],
      ['NUL in the email filter', () => t.http.get('/users?email=%00').set(admin.auth), 422],
      ['wrong password', () => t.http.post('/auth/login').send({ email: user.email, password: 'wrong-password' }), 401],
      ['garbage refresh token', () => t.http.post('/auth/refresh').send({ refresh_token: 'a.b.c' }), 401],
      ['access token as refresh', () => t.http.post('/auth/refresh').send({ refresh_token: user.access }), 401],
      ['garbage bearer', () => t.http.get('/users/me').set('Authorization', 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.x'), 401],
      ['no token', () => t.http.get('/users/me'), 403],
      ['not an admin', () => t.http.get('/users').set(user.auth), 403],
      ['malformed user id', () => t.http.get("/users/1'%20OR%201=1--").set(admin.auth), 404],
      ['huge user id', () => t.http.get('/users/99999999999999999999999').set(admin.auth), 404],
      ['limit out of range', () => t.http.get('/users?limit=1000').set(admin.auth), 422],
      ['bracket query', () => t.http.get('/users?email[$ne]=x').set(admin.auth), 422],
      ['malformed since', () => t.http.get("/audit-logs?since=2025-01-01'--").set(admin.auth), 422],
      ['huge skip', () => t.http.get('/audit-logs?skip=1e400').set(admin.auth), 422],
      ['unknown session', () => t.http.delete('/sessions/424242').set(user.auth), 404],
      [
        'wrong current password',
        () =>
          t.http
            .patch('/users/me/password')
            .set(user.auth)
            .send({ current_password: 'nope', new_password: 'password-456' }),
        400,
      ],
      ['unknown path', () => t.http.get('/definitely/not/here'), 404],
      ['unknown method', () => t.http.put('/users/me').set(user.auth).send({}), 404],
    ];
    for (const [label, send, status] of provocations) {
      const res = await send();
      expect({ label, status: res.status }).toEqual({ label, status });
      expectNoLeak(res, label);
    }
  });

  it('answers an unexpected failure with a bare 500 "Internal server error", whatever the database said', async () => {
    const broken = await createTestApp();
    try {
      const victim = await registerAndLogin(broken.http);
      await broken.db.query('DROP TABLE sessions');
      const res = await broken.http
        .post('/auth/login')
        .send({ email: victim.email, password: victim.password })
        .expect(500);
      expect(res.body).toEqual({ detail: 'Internal server error', code: 'internal_error' });
      expectNoLeak(res, 'database failure');
      expect(res.headers['x-request-id']).toBeDefined();
    } finally {
      await broken.close();
    }
  });

  it('sends Cache-Control: no-store on every token response, and no X-Powered-By anywhere', async () => {
    const login = await t.http.post('/auth/login').send({ email: user.email, password: user.password }).expect(200);
    expect(login.headers['cache-control']).toBe('no-store');
    expect(login.headers.pragma).toBe('no-cache');
    const refresh = await t.http.post('/auth/refresh').send({ refresh_token: login.body.refresh_token }).expect(200);
    expect(refresh.headers['cache-control']).toBe('no-store');
    for (const res of [
      login,
      refresh,
      await t.http.get('/healthz'),
      await t.http.get('/openapi.json'),
      await t.http.get('/metrics'),
    ]) {
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
  });
});
