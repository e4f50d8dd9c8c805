import { LoggedIn, registerAdmin, registerAndLogin } from '../helpers/auth';
import { auditRowsOf } from '../helpers/rows';
import { createTestApp, TestApp } from '../helpers/test-app';
import { Session } from '../../src/sessions/session.entity';

const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe('users: password change and admin account management (e2e)', () => {
  let t: TestApp;
  let admin: LoggedIn;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await registerAdmin(t);
  });
  afterAll(async () => {
    await t.close();
  });

  const login = (email: string, password: string) => t.http.post('/auth/login').send({ email, password });
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

  describe('PATCH /users/me/password', () => {
    it('changes the password (204), revokes every other session and keeps the current one', async () => {
      const user = await registerAndLogin(t.http);
      const other = (await login(user.email, user.password).expect(200)).body;
      const res = await t.http
        .patch('/users/me/password')
        .set(user.auth)
        .send({ current_password: user.password, new_password: 'brand-new-passphrase' })
        .expect(204);
      expect(res.text).toBe('');

      await t.http.get('/users/me').set(user.auth).expect(200);
      await t.http.get('/users/me').set(bearer(other.access_token)).expect(401);
      await t.http.post('/auth/refresh').send({ refresh_token: other.refresh_token }).expect(401);
      await login(user.email, user.password).expect(401);
      await login(user.email, 'brand-new-passphrase').expect(200);
    });

    it('refuses a wrong current password with 400 and changes nothing', async () => {
      const user = await registerAndLogin(t.http);
      const other = (await login(user.email, user.password).expect(200)).body;
      const res = await t.http
        .patch('/users/me/password')
        .set(user.auth)
        .send({ current_password: 'not-my-password', new_password: 'brand-new-passphrase' })
        .expect(400);
      expect(res.body).toEqual({ detail: 'Current password is incorrect', code: 'current_password_incorrect' });
      await login(user.email, user.password).expect(200);
      await t.http.get('/users/me').set(bearer(other.access_token)).expect(200);
    });

    it('applies the registration rules to the new password (8-100 characters, at most 72 bytes)', async () => {
      const user = await registerAndLogin(t.http);
      for (const new_password of ['short', 'é'.repeat(40), 'a'.repeat(101), 12345678]) {
        const res = await t.http
          .patch('/users/me/password')
          .set(user.auth)
          .send({ current_password: user.password, new_password })
          .expect(422);
        expect(res.body.detail.map((d: { loc: string[] }) => d.loc.join('.'))).toContain('body.new_password');
      }
      const missing = await t.http.patch('/users/me/password').set(user.auth).send({}).expect(422);
      expect(missing.body.detail.map((d: { loc: string[] }) => d.loc.join('.'))).toEqual(
        expect.arrayContaining(['body.current_password', 'body.new_password']),
      );
      await login(user.email, user.password).expect(200);
    });

    it('needs a token (403 without, 401 with a revoked one) and writes an audit row without the passwords', async () => {
      await t.http.patch('/users/me/password').send({ current_password: 'x', new_password: 'yyyyyyyy' }).expect(403);
      const user = await registerAndLogin(t.http, { password: 'old-secret-pass' });
      await t.http
        .patch('/users/me/password')
        .set(user.auth)
        .set('X-Request-Id', `pw-${user.id}`)
        .send({ current_password: 'old-secret-pass', new_password: 'new-secret-pass' })
        .expect(204);
      const rows = await auditRowsOf(t.db, `pw-${user.id}`);
      expect(rows).toEqual([
        expect.objectContaining({ action: 'user.password_change', userId: user.id, statusCode: 204 }),
      ]);
      expect(JSON.stringify(rows)).not.toMatch(/old-secret-pass|new-secret-pass/);
      await t.http.post('/auth/logout').set(user.auth).expect(204);
      await t.http
        .patch('/users/me/password')
        .set(user.auth)
        .send({ current_password: 'new-secret-pass', new_password: 'other-secret' })
        .expect(401);
    });
  });

  describe('admin: GET /users', () => {
    it('pages users in id order with the total', async () => {
      const a = await registerAndLogin(t.http);
      const b = await registerAndLogin(t.http);
      const all = await t.http.get('/users').set(admin.auth).expect(200);
      expect(all.body).toEqual({ items: expect.any(Array), total: expect.any(Number), skip: 0, limit: 100 });
      const ids = all.body.items.map((u: { id: number }) => u.id);
      expect(ids).toEqual([...ids].sort((x, y) => x - y));
      expect(ids).toEqual(expect.arrayContaining([admin.id, a.id, b.id]));
      expect(all.body.total).toBe(all.body.items.length);
      expect(all.body.items[0]).toEqual({
        id: expect.any(Number),
        email: expect.any(String),
        is_active: true,
        is_admin: expect.any(Boolean),
        created_at: expect.stringMatching(ISO_MS),
        email_verified: false,
        mfa_enabled: false,
      });

      const page = await t.http.get('/users?skip=1&limit=2').set(admin.auth).expect(200);
      expect(page.body).toMatchObject({ skip: 1, limit: 2, total: all.body.total });
      expect(page.body.items.map((u: { id: number }) => u.id)).toEqual(ids.slice(1, 3));
    });

    it('filters by a case-insensitive substring of the email, taking % and _ literally', async () => {
      const tag = `Zq${Date.now()}`;
      const one = await registerAndLogin(t.http, { email: `first.${tag.toLowerCase()}@example.com` });
      const two = await registerAndLogin(t.http, { email: `second.${tag.toLowerCase()}@example.org` });
      const res = await t.http.get(`/users?email=${tag.toUpperCase()}`).set(admin.auth).expect(200);
      expect(res.body.items.map((u: { id: number }) => u.id)).toEqual([one.id, two.id]);
      expect(res.body.total).toBe(2);
      const org = await t.http
        .get(`/users?email=${encodeURIComponent(`${tag}@EXAMPLE.ORG`)}`)
        .set(admin.auth)
        .expect(200);
      expect(org.body.items.map((u: { id: number }) => u.id)).toEqual([two.id]);
      expect((await t.http.get('/users?email=%25').set(admin.auth).expect(200)).body.total).toBe(0);
      expect((await t.http.get(`/users?email=first_${tag}`).set(admin.auth).expect(200)).body.total).toBe(0);
    });

    it('answers 422 for skip or limit out of range', async () => {
      for (const query of [
        'limit=0',
        'limit=101',
        'skip=-1',
        'limit=abc',
        'skip=1.5',
        'limit=',
        'skip=99999999999999999999',
      ]) {
        const res = await t.http.get(`/users?${query}`).set(admin.auth).expect(422);
        // One item per problem, naming the field.
        expect(res.body.detail).toEqual([
          {
            loc: ['query', query.split('=')[0]],
            msg: expect.stringMatching(/must be an integer from/),
            type: 'int_range',
          },
        ]);
      }
      await t.http.get('/users?limit=100&skip=0').set(admin.auth).expect(200);
    });

    it('is for admins only: 403 for a user, 403 without a token', async () => {
      const user = await registerAndLogin(t.http);
      expect((await t.http.get('/users').set(user.auth).expect(403)).body).toEqual({
        code: 'admin_required',
        detail: 'Admin privileges required',
      });
      await t.http.get(`/users/${user.id}`).set(user.auth).expect(403);
      await t.http.patch(`/users/${user.id}`).set(user.auth).send({ is_admin: true }).expect(403);
      expect((await t.http.get('/users').expect(403)).body).toEqual({
        detail: 'Not authenticated',
        code: 'not_authenticated',
      });
      expect((await t.http.get('/users/me').set(user.auth).expect(200)).body.is_admin).toBe(false);
    });
  });

  describe('admin: GET /users/{id}', () => {
    it('returns the user, 404 for an unknown id or one that is not a plain positive integer', async () => {
      const user = await registerAndLogin(t.http);
      const res = await t.http.get(`/users/${user.id}`).set(admin.auth).expect(200);
      expect(res.body).toEqual({
        id: user.id,
        email: user.email,
        is_active: true,
        is_admin: false,
        created_at: expect.stringMatching(ISO_MS),
        email_verified: false,
        mfa_enabled: false,
      });
      for (const id of ['999999', 'abc', '0', '-1', '1e3', '1.0', '0x1', '99999999999999999999', '2147483648']) {
        expect((await t.http.get(`/users/${id}`).set(admin.auth).expect(404)).body).toEqual({
          code: 'user_not_found',
          detail: 'User not found',
        });
      }
    });
  });

  describe('admin: PATCH /users/{id}', () => {
    it('refuses null flags with 422 and changes nothing', async () => {
      const user = await registerAndLogin(t.http);
      for (const body of [{ is_active: null }, { is_admin: null }]) {
        const res = await t.http.patch(`/users/${user.id}`).set(admin.auth).send(body).expect(422);
        expect(res.body.detail).toEqual([
          { loc: ['body', Object.keys(body)[0]], msg: 'Field may not be null', type: 'null_forbidden' },
        ]);
      }
      expect((await t.http.get(`/users/${user.id}`).set(admin.auth).expect(200)).body).toMatchObject({
        is_active: true,
        is_admin: false,
      });
    });

    it('deactivates a user: their live tokens get 401 at once and their next login 403', async () => {
      const user = await registerAndLogin(t.http);
      const second = (await login(user.email, user.password).expect(200)).body;
      const res = await t.http.patch(`/users/${user.id}`).set(admin.auth).send({ is_active: false }).expect(200);
      expect(res.body).toMatchObject({ id: user.id, is_active: false, is_admin: false });
      await t.http.get('/users/me').set(user.auth).expect(401);
      await t.http.get('/users/me').set(bearer(second.access_token)).expect(401);
      await t.http.post('/auth/refresh').send({ refresh_token: second.refresh_token }).expect(401);
      expect((await login(user.email, user.password).expect(403)).body).toEqual({
        detail: 'Account is inactive',
        code: 'account_inactive',
      });
      expect(await t.db.getRepository(Session).countBy({ userId: user.id, isValid: true })).toBe(0);

      await t.http.patch(`/users/${user.id}`).set(admin.auth).send({ is_active: true }).expect(200);
      await t.http.get('/users/me').set(user.auth).expect(401);
      await login(user.email, user.password).expect(200);
    });

    it('promotes and demotes a user; the change holds on their next request', async () => {
      const user = await registerAndLogin(t.http);
      await t.http.get('/users').set(user.auth).expect(403);
      expect(
        (await t.http.patch(`/users/${user.id}`).set(admin.auth).send({ is_admin: true }).expect(200)).body.is_admin,
      ).toBe(true);
      await t.http.get('/users').set(user.auth).expect(200);
      await t.http.patch(`/users/${user.id}`).set(admin.auth).send({ is_admin: false }).expect(200);
      await t.http.get('/users').set(user.auth).expect(403);
      const empty = await t.http.patch(`/users/${user.id}`).set(admin.auth).send({}).expect(200);
      expect(empty.body).toMatchObject({ id: user.id, is_active: true, is_admin: false });
    });

    it('refuses an admin deactivating or demoting themselves (400)', async () => {
      for (const body of [{ is_active: false }, { is_admin: false }, { is_active: false, is_admin: true }]) {
        const res = await t.http.patch(`/users/${admin.id}`).set(admin.auth).send(body).expect(400);
        expect(res.body).toEqual({
          detail: 'You cannot deactivate or demote your own account',
          code: 'own_account_protected',
        });
      }
      await t.http.patch(`/users/${admin.id}`).set(admin.auth).send({ is_active: true, is_admin: true }).expect(200);
      await t.http.get('/users').set(admin.auth).expect(200);
    });

    it('validates the body (422) and the id (404), and audits the change', async () => {
      const user = await registerAndLogin(t.http);
      await t.http.patch(`/users/${user.id}`).set(admin.auth).send({ is_active: 'false' }).expect(422);
      await t.http.patch(`/users/${user.id}`).set(admin.auth).send({ is_admin: 1 }).expect(422);
      await t.http.patch('/users/999999').set(admin.auth).send({ is_active: false }).expect(404);
      await t.http.patch('/users/abc').set(admin.auth).send({ is_active: false }).expect(404);
      await t.http
        .patch(`/users/${user.id}`)
        .set(admin.auth)
        .set('X-Request-Id', `deact-${user.id}`)
        .send({ is_active: false })
        .expect(200);
      const rows = await auditRowsOf(t.db, `deact-${user.id}`);
      expect(rows).toEqual([
        expect.objectContaining({
          action: 'user.update',
          userId: admin.id,
          resource: 'user',
          resourceId: String(user.id),
          statusCode: 200,
        }),
      ]);
      expect(rows[0].details).toMatch(/is_active=false; 1 session\(s\) revoked/);
    });
  });
});
