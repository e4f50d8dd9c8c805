import { generateSync } from 'otplib';
import { AuditLog } from '../../src/audit/audit-log.entity';
import { UserMfa } from '../../src/mfa/user-mfa.entity';
import { type LoggedIn, meWith, registerAdmin, registerAndLogin } from '../helpers/auth';
import { createTestApp, type TestApp } from '../helpers/test-app';

/** The code an authenticator app shows `steps` periods from now. */
const codeFor = (secret: string, steps = 0): string =>
  generateSync({ secret, epoch: Math.floor(Date.now() / 1000) + steps * 30 });

describe('TOTP two-factor authentication', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const login = (user: LoggedIn) => t.http.post('/auth/login').send({ email: user.email, password: user.password });
  const verify = (body: Record<string, string>) => t.http.post('/auth/mfa/verify').send(body);

  /** Setup + enable with the current code; returns the secret and the recovery codes. */
  async function enableMfa(user: LoggedIn): Promise<{ secret: string; recovery: string[]; enablingCode: string }> {
    const setup = await t.http.post('/auth/mfa/totp/setup').set(user.auth).expect(200);
    const secret = setup.body.secret as string;
    const enablingCode = codeFor(secret);
    const enabled = await t.http.post('/auth/mfa/totp/enable').set(user.auth).send({ code: enablingCode }).expect(200);
    return { secret, recovery: enabled.body.recovery_codes as string[], enablingCode };
  }

  it('sets up a secret, enables with a code, and shows ten recovery codes once', async () => {
    const user = await registerAndLogin(t.http);
    expect((await meWith(t.http, user.access).expect(200)).body.mfa_enabled).toBe(false);
    const setup = await t.http.post('/auth/mfa/totp/setup').set(user.auth).expect(200);
    expect(setup.headers['cache-control']).toBe('no-store');
    expect(setup.body.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(setup.body.otpauth_url).toBe(
      `otpauth://totp/Lanterne%20Rouge:${encodeURIComponent(user.email)}?secret=${setup.body.secret}&issuer=Lanterne%20Rouge`,
    );
    // Stored sealed, never in clear.
    const row = await t.db.getRepository(UserMfa).findOneByOrFail({ userId: user.id });
    expect(row.totpSecret).not.toContain(setup.body.secret);
    expect(row.totpSecret).toMatch(/^v1\./);
    // Not active yet: login still answers tokens.
    expect((await login(user).expect(200)).body.token_type).toBe('bearer');

    const secret = setup.body.secret as string;
    expect(
      (
        await t.http
          .post('/auth/mfa/totp/enable')
          .set(user.auth)
          .send({ code: codeFor(secret, 5) })
          .expect(400)
      ).body,
    ).toEqual({
      code: 'code_invalid',
      detail: 'Invalid code',
    });
    const enabled = await t.http
      .post('/auth/mfa/totp/enable')
      .set(user.auth)
      .send({ code: codeFor(secret) })
      .expect(200);
    const codes = enabled.body.recovery_codes as string[];
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) {
      expect(code).toMatch(/^[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}$/);
    }
    expect((await meWith(t.http, user.access).expect(200)).body.mfa_enabled).toBe(true);
    const stored = JSON.stringify(await t.db.query('SELECT code_hash FROM mfa_recovery_codes'));
    expect(codes.some((c) => stored.includes(c) || stored.includes(c.replace(/-/g, '')))).toBe(false);
    await t.http.post('/auth/mfa/totp/setup').set(user.auth).expect(400);
    await t.http
      .post('/auth/mfa/totp/enable')
      .set(user.auth)
      .send({ code: codeFor(secret, 1) })
      .expect(400);
  });

  it('logs in in two steps; a replayed code and a spent mfa_token are refused', async () => {
    const user = await registerAndLogin(t.http);
    const { secret, enablingCode } = await enableMfa(user);
    const first = await login(user).expect(200);
    expect(first.body).toEqual({ mfa_required: true, mfa_token: expect.any(String), token_type: 'mfa' });
    const mfaToken = first.body.mfa_token as string;
    // The enabling code's step is spent: the same code (a replay) is refused.
    expect((await verify({ mfa_token: mfaToken, code: enablingCode }).expect(401)).body).toEqual({
      code: 'mfa_code_invalid',
      detail: 'Invalid code',
    });
    const pair = await verify({ mfa_token: mfaToken, code: codeFor(secret, 1) }).expect(200);
    expect(pair.body).toEqual({
      access_token: expect.any(String),
      refresh_token: expect.any(String),
      token_type: 'bearer',
    });
    expect(pair.headers['cache-control']).toBe('no-store');
    await meWith(t.http, pair.body.access_token as string).expect(200);
    // Spent mfa_token, even with a fresh factor.
    const again = await verify({ mfa_token: mfaToken, recovery_code: 'aaaa-bbbb-cccc-dddd' }).expect(401);
    expect(again.body.detail).toMatch(/Invalid/);
    // An access token is not an mfa_token; the mfa_token is not an access token.
    expect((await verify({ mfa_token: pair.body.access_token as string, code: '123456' }).expect(401)).body).toEqual({
      code: 'token_wrong_type',
      detail: 'Invalid token type',
    });
    await meWith(t.http, mfaToken).expect(401);
    const audit = await t.db.getRepository(AuditLog).findBy({ action: 'mfa_verify', statusCode: 200 });
    expect(audit.at(-1)).toMatchObject({ userId: user.id, resource: 'session' });
  });

  it('takes a recovery code once, and refuses an expired mfa_token', async () => {
    const user = await registerAndLogin(t.http);
    const { recovery } = await enableMfa(user);
    const token = (await login(user).expect(200)).body.mfa_token as string;
    await verify({ mfa_token: token, recovery_code: recovery[3].toUpperCase().replace(/-/g, ' ') }).expect(200);
    const token2 = (await login(user).expect(200)).body.mfa_token as string;
    await verify({ mfa_token: token2, recovery_code: recovery[3] }).expect(401);
    await t.db.query(`UPDATE mfa_challenges SET expires_at = created_at`);
    await verify({ mfa_token: token2, recovery_code: recovery[4] }).expect(401);
  });

  it('gives one token pair to two verifications racing with one mfa_token', async () => {
    const user = await registerAndLogin(t.http);
    const { recovery } = await enableMfa(user);
    const token = (await login(user).expect(200)).body.mfa_token as string;
    const answers = await Promise.all([
      verify({ mfa_token: token, recovery_code: recovery[0] }),
      verify({ mfa_token: token, recovery_code: recovery[1] }),
      verify({ mfa_token: token, recovery_code: recovery[2] }),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 401, 401]);
    const sessions = await t.db.query(`SELECT COUNT(*) AS n FROM sessions WHERE user_id = ${user.id}`);
    expect(Number(sessions[0].n)).toBe(2); // registerAndLogin's session + the winner's
  });

  it('gives one success to two uses of the same code at once', async () => {
    const user = await registerAndLogin(t.http);
    const { secret } = await enableMfa(user);
    const [a, b] = [(await login(user)).body.mfa_token as string, (await login(user)).body.mfa_token as string];
    const code = codeFor(secret, 1);
    const answers = await Promise.all([verify({ mfa_token: a, code }), verify({ mfa_token: b, code })]);
    expect(answers.map((r) => r.status).sort()).toEqual([200, 401]);
  });

  it('disables with the password and a code; wrong ones are 400', async () => {
    const user = await registerAndLogin(t.http);
    const { recovery } = await enableMfa(user);
    const disable = (body: Record<string, string>) => t.http.post('/auth/mfa/totp/disable').set(user.auth).send(body);
    expect((await disable({ password: 'wrong-password', recovery_code: recovery[0] }).expect(400)).body).toEqual({
      code: 'password_incorrect',
      detail: 'Password is incorrect',
    });
    expect((await disable({ password: user.password, code: '000000' }).expect(400)).body).toEqual({
      code: 'code_invalid',
      detail: 'Invalid code',
    });
    await disable({ password: user.password, code: '000000', recovery_code: recovery[0] }).expect(422);
    await disable({ password: user.password }).expect(422);
    await disable({ password: user.password, recovery_code: recovery[0] }).expect(204);
    expect((await meWith(t.http, user.access).expect(200)).body.mfa_enabled).toBe(false);
    expect((await login(user).expect(200)).body.token_type).toBe('bearer');
  });

  it('lets an admin clear a user’s MFA (PATCH /users/{id} {"mfa_enabled": false}), never turn it on', async () => {
    const admin = await registerAdmin(t);
    const user = await registerAndLogin(t.http);
    await enableMfa(user);
    await t.http.patch(`/users/${user.id}`).set(admin.auth).send({ mfa_enabled: true }).expect(422);
    const res = await t.http.patch(`/users/${user.id}`).set(admin.auth).send({ mfa_enabled: false }).expect(200);
    expect(res.body.mfa_enabled).toBe(false);
    expect((await login(user).expect(200)).body.token_type).toBe('bearer');
    expect(await t.db.getRepository(UserMfa).countBy({ userId: user.id })).toBe(0);
    await t.http.patch(`/users/${user.id}`).set(user.auth).send({ mfa_enabled: false }).expect(403);
  });
});

describe('TOTP wrong codes count against the failed-login limits', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({
      RATE_LIMIT_ENABLED: 'true',
      RATE_LIMIT_LOGIN_FAILURES_PER_ACCOUNT: '3',
      RATE_LIMIT_REGISTER_MAX: '100',
    });
  });
  afterAll(() => t.close());

  it('locks the account after too many wrong codes, whatever mfa_token they come with', async () => {
    const user = await registerAndLogin(t.http);
    const setup = await t.http.post('/auth/mfa/totp/setup').set(user.auth).expect(200);
    await t.http
      .post('/auth/mfa/totp/enable')
      .set(user.auth)
      .send({ code: codeFor(setup.body.secret as string) })
      .expect(200);
    const token = (await t.http.post('/auth/login').send({ email: user.email, password: user.password }).expect(200))
      .body.mfa_token as string;
    for (let i = 0; i < 3; i += 1) {
      await t.http.post('/auth/mfa/verify').send({ mfa_token: token, code: '000000' }).expect(401);
    }
    const limited = await t.http.post('/auth/mfa/verify').send({ mfa_token: token, code: '000000' }).expect(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // The same account's password login is blocked too: one count per account.
    await t.http.post('/auth/login').send({ email: user.email, password: user.password }).expect(429);
  });
});
