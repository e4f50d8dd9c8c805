import { AccountToken } from '../../src/account/account-token.entity';
import { meWith, registerAndLogin, uniqueEmail } from '../helpers/auth';
import { emlMails, nextEml, tokenIn } from '../helpers/mail';
import { createTestApp, type TestApp } from '../helpers/test-app';

const INVALID = { detail: 'Invalid or expired token', code: 'invalid_or_expired_token' };

describe('Email verification', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const verify = (token: string) => t.http.post('/auth/verify-email').send({ token });
  const mailTo = (email: string, n = 1) => nextEml(t.config.LOG_DIR, email, n);

  it('mails a link at registration; the token verifies the address once', async () => {
    const user = await registerAndLogin(t.http);
    expect((await meWith(t.http, user.access).expect(200)).body).toMatchObject({ email_verified: false });
    const mail = await mailTo(user.email);
    expect(mail.subject).toBe('Confirm your email address for Lanterne Rouge');
    expect(mail.text).toMatch(/http:\/\/localhost:3000\/verify-email\?token=[A-Za-z0-9_-]{43}\b/);
    expect(mail.text).toContain('48 hours');
    const token = tokenIn(mail);
    await verify(token).expect(204);
    expect((await meWith(t.http, user.access).expect(200)).body).toMatchObject({ email_verified: true });
    expect((await verify(token).expect(400)).body).toEqual(INVALID);
  });

  it('resends a new link (the older one stops working); 400 once verified', async () => {
    const user = await registerAndLogin(t.http);
    const first = tokenIn(await mailTo(user.email));
    expect((await t.http.post('/auth/verify-email/resend').set(user.auth).expect(202)).body).toEqual({
      detail: 'A verification email is on its way',
    });
    const second = tokenIn(await mailTo(user.email, 2));
    expect((await verify(first).expect(400)).body).toEqual(INVALID);
    await verify(second).expect(204);
    expect((await t.http.post('/auth/verify-email/resend').set(user.auth).expect(400)).body).toEqual({
      code: 'email_already_verified',
      detail: 'Email already verified',
    });
    await t.http.post('/auth/verify-email/resend').expect(403);
  });

  it('refuses expired, unknown and malformed tokens', async () => {
    const user = await registerAndLogin(t.http);
    const token = tokenIn(await mailTo(user.email));
    await t.db.getRepository(AccountToken).update({ userId: user.id }, { expiresAt: new Date(Date.now() - 1) });
    expect((await verify(token).expect(400)).body).toEqual(INVALID);
    expect((await verify('B'.repeat(43)).expect(400)).body).toEqual(INVALID);
    await verify('').expect(422);
    await verify('a.b').expect(422);
    await t.http.post('/auth/verify-email').send({}).expect(422);
  });

  describe('email change', () => {
    const change = (auth: { Authorization: string }, newEmail: string, password: string) =>
      t.http.patch('/users/me/email').set(auth).send({ new_email: newEmail, current_password: password });

    it('changes the address only once the new one is confirmed; other sessions end; the old one is told', async () => {
      const user = await registerAndLogin(t.http);
      const other = (await t.http.post('/auth/login').send({ email: user.email, password: user.password })).body;
      const newEmail = uniqueEmail('moved');

      expect((await change(user.auth, ` ${newEmail.toUpperCase()} `, user.password).expect(202)).body).toEqual({
        detail: 'A confirmation email was sent to the new address',
      });
      // Nothing changed yet.
      expect((await meWith(t.http, user.access).expect(200)).body.email).toBe(user.email);
      const mail = await mailTo(newEmail);
      expect(mail.subject).toBe('Confirm your new email address for Lanterne Rouge');

      await verify(tokenIn(mail)).expect(204);
      const me = (await meWith(t.http, user.access).expect(200)).body;
      expect(me).toMatchObject({ email: newEmail, email_verified: true });
      await meWith(t.http, other.access_token as string).expect(401);
      await t.http.post('/auth/login').send({ email: user.email, password: user.password }).expect(401);
      await t.http.post('/auth/login').send({ email: newEmail, password: user.password }).expect(200);

      const notice = (await mailTo(user.email, 2)).text;
      expect(notice).toContain(`changed to ${newEmail}`);
    });

    it('refuses a wrong password, a taken address and its own address (400), bad bodies (422)', async () => {
      const user = await registerAndLogin(t.http);
      const taken = await registerAndLogin(t.http);
      expect((await change(user.auth, uniqueEmail(), 'wrong-password').expect(400)).body).toEqual({
        code: 'current_password_incorrect',
        detail: 'Current password is incorrect',
      });
      expect((await change(user.auth, taken.email, user.password).expect(400)).body).toEqual({
        code: 'email_taken',
        detail: 'Email already registered',
      });
      expect((await change(user.auth, user.email, user.password).expect(400)).body).toEqual({
        code: 'email_taken',
        detail: 'Email already registered',
      });
      await change(user.auth, 'nope', user.password).expect(422);
      await t.http.patch('/users/me/email').set(user.auth).send({ new_email: uniqueEmail() }).expect(422);
      await t.http.patch('/users/me/email').send({ new_email: uniqueEmail(), current_password: 'x' }).expect(403);
    });

    it('refuses the confirmation when the address was taken in the meantime', async () => {
      const user = await registerAndLogin(t.http);
      const newEmail = uniqueEmail('contested');
      await change(user.auth, newEmail, user.password).expect(202);
      const token = tokenIn(await mailTo(newEmail));
      await t.http.post('/auth/register').send({ email: newEmail, password: 'someone-else-pass' }).expect(201);
      expect((await verify(token).expect(400)).body).toEqual({
        detail: 'Email already registered',
        code: 'email_taken',
      });
      expect((await meWith(t.http, user.access).expect(200)).body.email).toBe(user.email);
    });
  });
});

describe('REQUIRE_EMAIL_VERIFICATION=true', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ REQUIRE_EMAIL_VERIFICATION: 'true' });
  });
  afterAll(() => t.close());

  it('refuses the login of an unverified account with 403 until it is verified', async () => {
    const email = uniqueEmail();
    const password = 'correct-horse-battery';
    await t.http.post('/auth/register').send({ email, password }).expect(201);
    expect((await t.http.post('/auth/login').send({ email, password }).expect(403)).body).toEqual({
      code: 'email_not_verified',
      detail: 'Email not verified',
    });
    // A wrong password is still the same 401 as for anyone.
    await t.http.post('/auth/login').send({ email, password: 'wrong-password' }).expect(401);
    const mail = await nextEml(t.config.LOG_DIR, email);
    await t.http
      .post('/auth/verify-email')
      .send({ token: tokenIn(mail) })
      .expect(204);
    await t.http.post('/auth/login').send({ email, password }).expect(200);
    expect(emlMails(t.config.LOG_DIR).filter((m) => m.to === email)).toHaveLength(1);
  });
});
