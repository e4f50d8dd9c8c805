import { LoggedIn, registerAndLogin } from '../helpers/auth';
import { createTestApp, TestApp } from '../helpers/test-app';
import { claimsOf, signJwt, withPayload } from '../helpers/tokens';
import { Session } from '../../src/sessions/session.entity';
import { User } from '../../src/users/user.entity';

const HS256 = { alg: 'HS256', typ: 'JWT' };

describe('tokens: only what this API signed, still live, is accepted (e2e)', () => {
  let t: TestApp;
  let user: LoggedIn;
  let secret: string;

  beforeAll(async () => {
    t = await createTestApp();
    secret = t.config.SECRET_KEY;
  });
  beforeEach(async () => {
    user = await registerAndLogin(t.http);
  });
  afterAll(async () => {
    await t.close();
  });

  const me = (token: string) => t.http.get('/users/me').set('Authorization', `Bearer ${token}`);
  const refusedAsBearer = async (token: string): Promise<void> => {
    const res = await me(token).expect(401);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(typeof res.body.detail).toBe('string');
  };
  const access = () => claimsOf(user.access);

  it('accepts a token re-signed exactly as the API signs it (so the refusals below are about the change alone)', async () => {
    await me(signJwt(HS256, access(), secret)).expect(200);
    await me(signJwt({ alg: 'HS256' }, access(), secret)).expect(200);
  });

  it('refuses alg "none", with or without a signature', async () => {
    await refusedAsBearer(signJwt({ alg: 'none', typ: 'JWT' }, access(), secret));
    await refusedAsBearer(`${signJwt({ alg: 'none', typ: 'JWT' }, access(), secret)}${user.access.split('.')[2]}`);
    await refusedAsBearer(signJwt({ alg: 'None' }, access(), secret));
  });

  it('refuses HS384 and HS512 tokens signed with the right secret', async () => {
    await refusedAsBearer(signJwt({ alg: 'HS384', typ: 'JWT' }, access(), secret));
    await refusedAsBearer(signJwt({ alg: 'HS512', typ: 'JWT' }, access(), secret));
  });

  it('refuses key-bearing headers, even with a valid HS256 signature', async () => {
    const attackerKey = 'attacker-chosen-key-attacker-chosen-key';
    const jwk = { kty: 'oct', k: Buffer.from(attackerKey).toString('base64url') };
    await refusedAsBearer(signJwt({ ...HS256, jwk }, access(), attackerKey));
    await refusedAsBearer(signJwt({ ...HS256, jwk }, access(), secret));
    await refusedAsBearer(signJwt({ ...HS256, kid: 'other-key' }, access(), secret));
    await refusedAsBearer(signJwt({ ...HS256, jku: 'http://127.0.0.1:9/keys' }, access(), secret));
    await refusedAsBearer(signJwt({ ...HS256, crit: ['exp'] }, access(), secret));
  });

  it('refuses a tampered payload (another sub, jti or exp) under the original signature', async () => {
    const other = await registerAndLogin(t.http);
    await refusedAsBearer(withPayload(user.access, { ...access(), sub: String(other.id) }));
    await refusedAsBearer(withPayload(user.access, { ...access(), exp: Math.floor(Date.now() / 1000) + 86_400 * 365 }));
    await refusedAsBearer(withPayload(user.access, { ...access(), jti: claimsOf(other.access).jti }));
    await me(user.access).expect(200);
  });

  it('refuses the wrong issuer or audience, even correctly signed', async () => {
    await refusedAsBearer(signJwt(HS256, { ...access(), iss: 'someone-else' }, secret));
    await refusedAsBearer(signJwt(HS256, { ...access(), aud: 'another-app' }, secret));
    const { iss: _iss, ...noIssuer } = access();
    await refusedAsBearer(signJwt(HS256, noIssuer, secret));
  });

  it('refuses a token without exp, and an expired one', async () => {
    const { exp: _exp, ...noExpiry } = access();
    await refusedAsBearer(signJwt(HS256, noExpiry, secret));
    const now = Math.floor(Date.now() / 1000);
    await refusedAsBearer(signJwt(HS256, { ...access(), iat: now - 7200, exp: now - 60 }, secret));
  });

  it('refuses a token signed with another secret, and a structurally broken one', async () => {
    await refusedAsBearer(signJwt(HS256, access(), 'another-secret-another-secret-another'));
    await refusedAsBearer('not.a.jwt');
    await refusedAsBearer(`${user.access}x`);
    await refusedAsBearer(user.access.split('.').slice(0, 2).join('.'));
  });

  it('refuses a refresh token used as a bearer token', async () => {
    const res = await me(user.refresh).expect(401);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    await refusedAsBearer(signJwt(HS256, { ...access(), type: 'refresh' }, secret));
  });

  it('refuses a token whose session row was deleted', async () => {
    await t.db.getRepository(Session).delete({ accessTokenJti: String(access().jti) });
    await refusedAsBearer(user.access);
    await t.http.post('/auth/refresh').send({ refresh_token: user.refresh }).expect(401);
  });

  it('refuses a token whose user was deleted', async () => {
    await t.db.getRepository(User).delete({ id: user.id });
    await refusedAsBearer(user.access);
    await t.http.post('/auth/refresh').send({ refresh_token: user.refresh }).expect(401);
  });

  it('applies the same rules to refresh tokens on /auth/refresh', async () => {
    const refresh = claimsOf(user.refresh);
    for (const forged of [
      signJwt({ alg: 'none', typ: 'JWT' }, refresh, secret),
      signJwt({ alg: 'HS512', typ: 'JWT' }, refresh, secret),
      signJwt({ ...HS256, kid: 'x' }, refresh, secret),
      signJwt(HS256, { ...refresh, aud: 'another-app' }, secret),
      withPayload(user.refresh, { ...refresh, sub: '1' }),
    ]) {
      const res = await t.http.post('/auth/refresh').send({ refresh_token: forged }).expect(401);
      expect(res.body).toEqual({ detail: 'Invalid refresh token', code: 'invalid_refresh_token' });
    }
    await t.http
      .post('/auth/refresh')
      .send({ refresh_token: signJwt(HS256, refresh, secret) })
      .expect(200);
  });
});
