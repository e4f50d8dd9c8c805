import { createTestApp, TestApp } from '../helpers/test-app';
import { registerAndLogin } from '../helpers/auth';

describe('platform: health, docs, headers, request ids, audit (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const auditRows = async (requestId: string): Promise<Record<string, unknown>[]> =>
    t.db.query(`SELECT * FROM audit_logs WHERE request_id = '${requestId}'`);

  it('answers /healthz, /readyz and / without auth and without audit rows', async () => {
    const health = await t.http.get('/healthz').set('X-Request-Id', 'health-1').expect(200);
    expect(health.body).toEqual({ status: 'healthy', timestamp: expect.any(String), version: '1.0.0' });
    expect(new Date(health.body.timestamp).toISOString()).toBe(health.body.timestamp);
    await t.http.get('/readyz').set('X-Request-Id', 'ready-1').expect(200);
    const root = await t.http.get('/').expect(200);
    expect(root.body).toEqual({ message: 'Lanterne Rouge API', version: '1.0.0', docs: '/docs' });
    expect(await auditRows('health-1')).toHaveLength(0);
    expect(await auditRows('ready-1')).toHaveLength(0);
  });

  it('serves Swagger UI, ReDoc and the OpenAPI document from local files', async () => {
    const docs = await t.http.get('/docs/').expect(200);
    expect(docs.text).toContain('swagger-ui');
    expect(docs.text).not.toMatch(/https?:\/\/(cdn|unpkg|cdnjs)/);
    const redoc = await t.http.get('/redoc').expect(200);
    expect(redoc.text).toContain('/redoc/redoc.standalone.js');
    expect(redoc.text).not.toMatch(/https?:\/\//);
    const bundle = await t.http.get('/redoc/redoc.standalone.js').expect(200);
    expect(bundle.text.length).toBeGreaterThan(100_000);
    const spec = await t.http.get('/openapi.json').expect(200);
    expect(spec.body.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.body.paths)).toEqual(
      expect.arrayContaining([
        '/auth/register',
        '/auth/login',
        '/auth/refresh',
        '/auth/logout',
        '/auth/logout-all',
        '/users/me',
        '/healthz',
        '/readyz',
      ]),
    );
    expect(spec.body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(spec.body.paths['/users/me'].get.security).toEqual([{ bearer: [] }]);
    expect(spec.body.components.schemas.RegisterDto.required).toEqual(expect.arrayContaining(['email', 'password']));
  });

  it('echoes a well-formed X-Request-Id, replaces a malformed one, and sends security headers', async () => {
    const given = await t.http.get('/healthz').set('X-Request-Id', 'abc.DEF_123-x').expect(200);
    expect(given.headers['x-request-id']).toBe('abc.DEF_123-x');
    const replaced = await t.http.get('/healthz').set('X-Request-Id', 'bad id!').expect(200);
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(given.headers['x-content-type-options']).toBe('nosniff');
    expect(given.headers['x-frame-options']).toBeDefined();
    expect(given.headers['x-powered-by']).toBeUndefined();
  });

  it('allows CORS for configured origins only', async () => {
    const ok = await t.http.get('/healthz').set('Origin', 'http://localhost:3000').expect(200);
    expect(ok.headers['access-control-allow-origin']).toBe('http://localhost:3000');
    const other = await t.http.get('/healthz').set('Origin', 'http://evil.example').expect(200);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers unknown paths with 404 in the detail shape and writes no audit row', async () => {
    const res = await t.http.get('/no-such-route').set('X-Request-Id', 'nf-1').expect(404);
    expect(typeof res.body.detail).toBe('string');
    expect(await auditRows('nf-1')).toHaveLength(0);
  });

  it('writes one audit row per controller action with user, ip, agent, status and request id', async () => {
    const user = await registerAndLogin(t.http);
    await t.http
      .get('/users/me')
      .set(user.auth)
      .set('X-Request-Id', 'me-ok')
      .set('User-Agent', 'jest-agent')
      .expect(200);
    const [row] = await auditRows('me-ok');
    expect(row).toMatchObject({
      user_id: user.id,
      action: 'user.me',
      status_code: 200,
      user_agent: 'jest-agent',
      request_id: 'me-ok',
    });
    expect(row.ip_address).toBeTruthy();

    await t.http.get('/users/me').set('X-Request-Id', 'me-anon').expect(403);
    expect(await auditRows('me-anon')).toEqual([
      expect.objectContaining({ user_id: null, action: 'user.me', status_code: 403 }),
    ]);

    await t.http
      .post('/auth/login')
      .set('X-Request-Id', 'login-bad')
      .send({ email: user.email, password: 'nope-nope' })
      .expect(401);
    expect(await auditRows('login-bad')).toEqual([
      expect.objectContaining({
        action: 'login_failed',
        status_code: 401,
        user_id: null,
        resource: 'user',
        resource_id: String(user.id),
      }),
    ]);

    await t.http.post('/auth/register').set('X-Request-Id', 'reg-422').send({ email: 'x' }).expect(422);
    expect(await auditRows('reg-422')).toEqual([expect.objectContaining({ action: 'register', status_code: 422 })]);

    await t.http
      .post('/auth/login')
      .set('X-Request-Id', 'login-ok')
      .send({ email: user.email, password: user.password })
      .expect(200);
    expect(await auditRows('login-ok')).toEqual([
      expect.objectContaining({ action: 'login', status_code: 200, user_id: user.id }),
    ]);
  });

  it('answers a path with broken percent-encoding with 404, like an unknown resource', async () => {
    const user = await registerAndLogin(t.http);
    const res = await t.http.get('/missions/%ZZ').set(user.auth).expect(404);
    expect(res.body).toEqual({ detail: 'Not found', code: 'not_found' });
  });

  it('refuses fields sent to a route that takes no body (422, audited) but accepts an empty one', async () => {
    const user = await registerAndLogin(t.http);
    const res = await t.http
      .post('/auth/logout-all')
      .set(user.auth)
      .set('X-Request-Id', 'bodyless-1')
      .send({ is_admin: true })
      .expect(422);
    expect(res.body.detail).toEqual([
      { loc: ['body', 'is_admin'], msg: 'Extra fields are not permitted', type: 'extra_forbidden' },
    ]);
    expect(await auditRows('bodyless-1')).toEqual([
      expect.objectContaining({ action: 'logout_all', status_code: 422 }),
    ]);
    await t.http.get('/users/me').set(user.auth).expect(200);
    await t.http.post('/auth/logout').set(user.auth).send({}).expect(204);
  });

  it('answers JSON that is not an object (null, a string, a number) with 422, not a parse error', async () => {
    for (const raw of ['null', '"text"', '5', '[]']) {
      const res = await t.http.post('/auth/login').set('Content-Type', 'application/json').send(raw).expect(422);
      expect(res.body.detail).toEqual([{ loc: ['body'], msg: 'The body must be a JSON object', type: 'object_type' }]);
    }
  });

  it('never puts passwords or tokens into audit rows', async () => {
    const user = await registerAndLogin(t.http, { password: 'very-secret-pass-1' });
    await t.http.post('/auth/refresh').send({ refresh_token: user.refresh }).expect(200);
    const rows: Record<string, unknown>[] = await t.db.query('SELECT * FROM audit_logs');
    const dump = JSON.stringify(rows);
    expect(dump).not.toContain('very-secret-pass-1');
    expect(dump).not.toContain(user.refresh);
    expect(dump).not.toContain(user.access);
  });
});
