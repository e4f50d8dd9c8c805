import { createTestApp, TestApp } from '../helpers/test-app';
import { registerAndLogin, setUserFlags, uniqueEmail } from '../helpers/auth';

describe('auth (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('registers a user with a normalised email and never returns the hash', async () => {
    const email = uniqueEmail();
    const res = await t.http
      .post('/auth/register')
      .send({ email: `  ${email.toUpperCase()} `, password: 'password123' })
      .expect(201);
    expect(res.body).toEqual({
      id: expect.any(Number),
      email,
      is_active: true,
      is_admin: false,
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      email_verified: false,
      mfa_enabled: false,
    });
    const [row] = await t.db.query('SELECT hashed_password FROM users WHERE id = ' + Number(res.body.id));
    expect(row.hashed_password).toMatch(/^\$2[ab]\$04\$/);
  });

  it('refuses a second registration of the same email in any case with 400', async () => {
    const email = uniqueEmail();
    await t.http.post('/auth/register').send({ email, password: 'password123' }).expect(201);
    const res = await t.http
      .post('/auth/register')
      .send({ email: email.toUpperCase(), password: 'password123' })
      .expect(400);
    expect(res.body).toEqual({ detail: 'Email already registered', code: 'email_taken' });
  });

  it('answers 422 with one {loc,msg,type} item per problem and rejects is_admin', async () => {
    const res = await t.http
      .post('/auth/register')
      .send({ email: 'not-an-email', password: 'short', is_admin: true })
      .expect(422);
    const locs = (res.body.detail as { loc: string[] }[]).map((d) => d.loc.join('.'));
    expect(locs).toEqual(expect.arrayContaining(['body.email', 'body.password', 'body.is_admin']));
    for (const item of res.body.detail) {
      expect(item).toEqual({ loc: expect.any(Array), msg: expect.any(String), type: expect.any(String) });
    }
    const count = await t.db.query("SELECT COUNT(*) AS n FROM users WHERE email = 'not-an-email'");
    expect(Number(count[0].n)).toBe(0);
  });

  it('reports one 422 item per problem field: missing, null and wrong-type fields each once', async () => {
    const empty = await t.http.post('/auth/register').send({}).expect(422);
    expect(empty.body.detail).toEqual([
      { loc: ['body', 'email'], msg: 'Field required', type: 'missing' },
      { loc: ['body', 'password'], msg: 'Field required', type: 'missing' },
    ]);
    const wrong = await t.http.post('/auth/register').send({ email: null, password: 12345678 }).expect(422);
    expect(wrong.body.detail).toEqual([
      { loc: ['body', 'email'], msg: 'Field may not be null', type: 'null_forbidden' },
      { loc: ['body', 'password'], msg: expect.stringContaining('string'), type: 'is_string' },
    ]);
    const refresh = await t.http.post('/auth/refresh').send({}).expect(422);
    expect(refresh.body.detail).toEqual([{ loc: ['body', 'refresh_token'], msg: 'Field required', type: 'missing' }]);
  });

  it('refuses passwords over 72 UTF-8 bytes even when under 100 characters', async () => {
    const res = await t.http
      .post('/auth/register')
      .send({ email: uniqueEmail(), password: 'é'.repeat(40) })
      .expect(422);
    expect(res.body.detail[0].loc).toEqual(['body', 'password']);
    await t.http
      .post('/auth/register')
      .send({ email: uniqueEmail(), password: 'a'.repeat(72) })
      .expect(201);
  });

  it('refuses an email longer than 254 characters', async () => {
    await t.http
      .post('/auth/register')
      .send({ email: `${'a'.repeat(250)}@example.com`, password: 'password123' })
      .expect(422);
  });

  it('logs in with a bearer pair and no-store caching', async () => {
    const email = uniqueEmail();
    await t.http.post('/auth/register').send({ email, password: 'password123' }).expect(201);
    const res = await t.http
      .post('/auth/login')
      .send({ email: email.toUpperCase(), password: 'password123' })
      .expect(200);
    expect(res.body).toEqual({
      access_token: expect.any(String),
      refresh_token: expect.any(String),
      token_type: 'bearer',
    });
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('gives the same 401 for an unknown email and a wrong password', async () => {
    const user = await registerAndLogin(t.http);
    const wrong = await t.http.post('/auth/login').send({ email: user.email, password: 'wrong-password' }).expect(401);
    const unknown = await t.http
      .post('/auth/login')
      .send({ email: uniqueEmail(), password: 'wrong-password' })
      .expect(401);
    expect(wrong.body).toEqual({ detail: 'Incorrect email or password', code: 'invalid_credentials' });
    expect(unknown.body).toEqual(wrong.body);
    expect(wrong.headers['www-authenticate']).toBe('Bearer');
  });

  it('refuses an inactive account with the right password (403) and its live tokens at once (403)', async () => {
    const user = await registerAndLogin(t.http);
    await setUserFlags(t.db, user.id, { isActive: false });
    const login = await t.http.post('/auth/login').send({ email: user.email, password: user.password }).expect(403);
    expect(login.body).toEqual({ detail: 'Account is inactive', code: 'account_inactive' });
    await t.http.get('/users/me').set(user.auth).expect(403);
    await t.http.post('/auth/login').send({ email: user.email, password: 'wrong-password' }).expect(401);
  });

  it('returns the current user on /users/me; 403 without a token, 401 with a bad one', async () => {
    const user = await registerAndLogin(t.http);
    const me = await t.http.get('/users/me').set(user.auth).expect(200);
    expect(me.body).toMatchObject({ id: user.id, email: user.email, is_admin: false });
    expect(me.body.hashed_password).toBeUndefined();
    expect((await t.http.get('/users/me').expect(403)).body).toEqual({
      detail: 'Not authenticated',
      code: 'not_authenticated',
    });
    const bad = await t.http.get('/users/me').set('Authorization', 'Bearer not.a.jwt').expect(401);
    expect(bad.headers['www-authenticate']).toBe('Bearer');
    await t.http.get('/users/me').set('Authorization', `Bearer ${user.refresh}`).expect(401);
  });

  it('rotates refresh tokens: the old access token dies at once and the new pair works', async () => {
    const user = await registerAndLogin(t.http);
    const res = await t.http.post('/auth/refresh').send({ refresh_token: user.refresh }).expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    await t.http.get('/users/me').set(user.auth).expect(401);
    await t.http.get('/users/me').set('Authorization', `Bearer ${res.body.access_token}`).expect(200);
    await t.http.post('/auth/refresh').send({ refresh_token: res.body.refresh_token }).expect(200);
  });

  it('refuses an access token on /auth/refresh with "Invalid token type" and garbage with 401', async () => {
    const user = await registerAndLogin(t.http);
    const res = await t.http.post('/auth/refresh').send({ refresh_token: user.access }).expect(401);
    expect(res.body).toEqual({ detail: 'Invalid token type', code: 'token_wrong_type' });
    await t.http.post('/auth/refresh').send({ refresh_token: 'garbage' }).expect(401);
    await t.http.post('/auth/refresh').send({}).expect(422);
  });

  it('logout revokes the session: access and refresh tokens stop working', async () => {
    const user = await registerAndLogin(t.http);
    await t.http.post('/auth/logout').set(user.auth).expect(204);
    await t.http.get('/users/me').set(user.auth).expect(401);
    await t.http.post('/auth/refresh').send({ refresh_token: user.refresh }).expect(401);
    await t.http.post('/auth/logout').expect(403);
  });

  it('logout-all revokes every session of the user and no one else', async () => {
    const user = await registerAndLogin(t.http);
    const second = await t.http.post('/auth/login').send({ email: user.email, password: user.password }).expect(200);
    const other = await registerAndLogin(t.http);
    await t.http.post('/auth/logout-all').set(user.auth).expect(204);
    await t.http.get('/users/me').set(user.auth).expect(401);
    await t.http.get('/users/me').set('Authorization', `Bearer ${second.body.access_token}`).expect(401);
    await t.http.get('/users/me').set(other.auth).expect(200);
  });

  it('rejects malformed JSON (400), other content types (415) and oversized bodies (413) in the detail shape', async () => {
    const malformed = await t.http
      .post('/auth/login')
      .set('Content-Type', 'application/json')
      .send('{"email":')
      .expect(400);
    expect(malformed.body).toEqual({ detail: 'Malformed JSON body', code: 'malformed_json' });
    const text = await t.http.post('/auth/login').set('Content-Type', 'text/plain').send('email=x').expect(415);
    expect(typeof text.body.detail).toBe('string');
    const big = await t.http
      .post('/auth/register')
      .send({ email: uniqueEmail(), password: 'x'.repeat(2 * 1024 * 1024) })
      .expect(413);
    expect(typeof big.body.detail).toBe('string');
    const deep = await t.http
      .post('/auth/login')
      .set('Content-Type', 'application/json')
      .send('['.repeat(5000) + ']'.repeat(5000))
      .expect(400);
    expect(deep.body.detail).toMatch(/nested/);
    await t.http.post('/auth/login').send([1, 2]).expect(422);
    expect([text.body.code, big.body.code, deep.body.code]).toEqual([
      'unsupported_media_type',
      'payload_too_large',
      'json_too_deep',
    ]);
  });

  it('gives every refusal a machine-readable code, those of the framework and the guard included', async () => {
    const user = await registerAndLogin(t.http);
    const codeOf = async (req: Promise<{ body: { code?: unknown } }>) => (await req).body.code;
    expect({
      unknownRoute: await codeOf(t.http.get('/no-such-route').expect(404)),
      noToken: await codeOf(t.http.get('/users/me').expect(403)),
      garbageToken: await codeOf(t.http.get('/users/me').set('Authorization', 'Bearer not.a.jwt').expect(401)),
      refreshAsAccess: await codeOf(t.http.get('/users/me').set('Authorization', `Bearer ${user.refresh}`).expect(401)),
      validation: await codeOf(t.http.post('/auth/register').send({ email: 'nope' }).expect(422)),
      emailTaken: await codeOf(t.http.post('/auth/register').send({ email: user.email, password: 'password123' })),
      wrongPassword: await codeOf(t.http.post('/auth/login').send({ email: user.email, password: 'wrong-one' })),
    }).toEqual({
      unknownRoute: 'not_found',
      noToken: 'not_authenticated',
      garbageToken: 'invalid_token',
      refreshAsAccess: 'token_wrong_type',
      validation: 'validation_failed',
      emailTaken: 'email_taken',
      wrongPassword: 'invalid_credentials',
    });
    await t.http.post('/auth/logout').set(user.auth).expect(204);
    expect((await t.http.get('/users/me').set(user.auth).expect(401)).body).toEqual({
      detail: 'Token has been revoked',
      code: 'token_revoked',
    });
    // 422 item types share one style: snake_case.
    const invalid = await t.http.post('/auth/register').send({ email: 'nope', password: 5 }).expect(422);
    for (const item of invalid.body.detail as { type: string }[]) {
      expect(item.type).toMatch(/^[a-z]+(_[a-z]+)*$/);
    }
  });
});
