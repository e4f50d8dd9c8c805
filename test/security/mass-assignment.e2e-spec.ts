import { LoggedIn, registerAdmin, registerAndLogin, uniqueEmail } from '../helpers/auth';
import { createTestApp, TestApp } from '../helpers/test-app';
import { User } from '../../src/users/user.entity';

const PRIVILEGED = { is_admin: true, is_active: false, id: 1, user_id: 1 };

function expectRefused(body: { detail: { loc: (string | number)[]; type: string }[] }, field: string): void {
  expect(body.detail).toContainEqual({
    loc: ['body', field],
    msg: 'Extra fields are not permitted',
    type: 'extra_forbidden',
  });
}

describe('mass assignment: privileged fields in user-writable bodies are refused (e2e)', () => {
  let t: TestApp;
  let admin: LoggedIn;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await registerAdmin(t);
  });
  afterAll(async () => {
    await t.close();
  });

  it.each(Object.entries(PRIVILEGED))('refuses %s at registration and creates no account', async (field, value) => {
    const email = uniqueEmail('sneaky');
    const res = await t.http
      .post('/auth/register')
      .send({ email, password: 'password123', [field]: value })
      .expect(422);
    expectRefused(res.body, field);
    expect(await t.db.getRepository(User).countBy({ email })).toBe(0);
  });

  it.each(Object.entries(PRIVILEGED))('refuses %s in a password change and changes nothing', async (field, value) => {
    const user = await registerAndLogin(t.http);
    const res = await t.http
      .patch('/users/me/password')
      .set(user.auth)
      .send({ current_password: user.password, new_password: 'brand-new-passphrase', [field]: value })
      .expect(422);
    expectRefused(res.body, field);
    const me = (await t.http.get('/users/me').set(user.auth).expect(200)).body;
    expect(me).toMatchObject({ id: user.id, is_admin: false, is_active: true });
    await t.http.post('/auth/login').send({ email: user.email, password: user.password }).expect(200);
  });

  it.each([
    ['id', 1],
    ['user_id', 1],
    ['email', 'taken-over@example.com'],
    ['hashed_password', '$2b$04$abcdefghijklmnopqrstuv'],
    ['created_at', '2000-01-01T00:00:00.000Z'],
  ])('refuses %s in an admin PATCH /users/{id} and changes nothing', async (field, value) => {
    const user = await registerAndLogin(t.http);
    const res = await t.http
      .patch(`/users/${user.id}`)
      .set(admin.auth)
      .send({ is_active: true, [field]: value })
      .expect(422);
    expectRefused(res.body, field);
    const row = await t.db.getRepository(User).findOneByOrFail({ id: user.id });
    expect(row.email).toBe(user.email);
    await t.http.post('/auth/login').send({ email: user.email, password: user.password }).expect(200);
  });

  it('refuses privileged fields on login and refresh too', async () => {
    const user = await registerAndLogin(t.http);
    expectRefused(
      (
        await t.http
          .post('/auth/login')
          .send({ email: user.email, password: user.password, is_admin: true })
          .expect(422)
      ).body,
      'is_admin',
    );
    expectRefused(
      (await t.http.post('/auth/refresh').send({ refresh_token: user.refresh, user_id: admin.id }).expect(422)).body,
      'user_id',
    );
  });

  it.each([
    ['__proto__', '{"__proto__":{"is_admin":true}}', ['body', '__proto__']],
    ['constructor', '{"constructor":{"is_admin":true}}', ['body', 'constructor']],
    ['prototype', '{"prototype":{"is_admin":true}}', ['body', 'prototype']],
  ])('refuses a %s key like any unknown field (Nest would drop it silently)', async (_key, extra, loc) => {
    const email = uniqueEmail('proto');
    const body = `{"email":"${email}","password":"password123",${extra.slice(1, -1)}}`;
    const res = await t.http.post('/auth/register').set('Content-Type', 'application/json').send(body).expect(422);
    expect(res.body.detail).toContainEqual({ loc, msg: 'Extra fields are not permitted', type: 'extra_forbidden' });
    expect(await t.db.getRepository(User).countBy({ email })).toBe(0);
    expect(({} as Record<string, unknown>).is_admin).toBeUndefined();
  });

  it('refuses a prototype key nested inside a body, and in a query', async () => {
    const user = await registerAndLogin(t.http);
    const res = await t.http
      .patch(`/users/${user.id}`)
      .set(admin.auth)
      .set('Content-Type', 'application/json')
      .send('{"is_active":true,"nested":{"__proto__":{"x":1}}}')
      .expect(422);
    expect(res.body.detail).toContainEqual({
      loc: ['body', 'nested', '__proto__'],
      msg: 'Extra fields are not permitted',
      type: 'extra_forbidden',
    });
    await t.http.get('/users?constructor=1').set(admin.auth).expect(422);
  });
});
