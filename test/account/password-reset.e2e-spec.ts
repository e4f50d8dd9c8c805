import { createHash } from 'node:crypto';
import { AccountToken } from '../../src/account/account-token.entity';
import { AuditLog } from '../../src/audit/audit-log.entity';
import { MailOutboxRecord } from '../../src/mail/mail-outbox.entity';
import { meWith, registerAndLogin, setUserFlags, uniqueEmail } from '../helpers/auth';
import { emlMails, nextEml, type SmtpTestServer, startSmtpTestServer, tokenIn } from '../helpers/mail';
import { createTestApp, type TestApp } from '../helpers/test-app';

const FORGOT_ANSWER = { detail: 'If the account exists, an email is on its way' };
const INVALID = { detail: 'Invalid or expired token', code: 'invalid_or_expired_token' };

describe('Password reset by mail', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ PUBLIC_APP_URL: 'https://app.lanterne.test' });
  });
  afterAll(() => t.close());

  const forgot = (email: string) => t.http.post('/auth/password/forgot').send({ email });
  const reset = (token: string, newPassword: string) =>
    t.http.post('/auth/password/reset').send({ token, new_password: newPassword });
  const login = (email: string, password: string) => t.http.post('/auth/login').send({ email, password });
  /** The n-th reset mail to `email` (verification mails from registration are skipped). */
  const resetMail = (email: string, n = 1) =>
    nextEml(t.config.LOG_DIR, email, n + 1).then((mail) => {
      expect(mail.subject).toBe('Reset your Lanterne Rouge password');
      return mail;
    });

  it('mails a single-use link to a known account; reset sets the password and revokes every session', async () => {
    const user = await registerAndLogin(t.http);
    const other = (await login(user.email, user.password).expect(200)).body;

    expect((await forgot(`  ${user.email.toUpperCase()} `).expect(202)).body).toEqual(FORGOT_ANSWER);
    const mail = await resetMail(user.email);
    expect(mail.text).toMatch(/https:\/\/app\.lanterne\.test\/reset-password\?token=[A-Za-z0-9_-]{43}\b/);
    expect(mail.html).toContain('https://app.lanterne.test/reset-password?token=');
    expect(mail.text).toContain('30 minutes');
    const token = tokenIn(mail);

    // Stored only as its SHA-256, never in clear; in no audit row.
    const rows = await t.db.getRepository(AccountToken).findBy({ userId: user.id, purpose: 'password_reset' });
    expect(rows).toHaveLength(1);
    expect(rows[0].tokenHash).toBe(createHash('sha256').update(token).digest('hex'));
    const audit = JSON.stringify(await t.db.getRepository(AuditLog).find());
    expect(audit).not.toContain(token);

    await reset(token, 'a-brand-new-password').expect(204);
    await meWith(t.http, user.access).expect(401);
    await meWith(t.http, other.access_token as string).expect(401);
    await login(user.email, user.password).expect(401);
    await login(user.email, 'a-brand-new-password').expect(200);
    // Single-use.
    expect((await reset(token, 'another-new-password').expect(400)).body).toEqual(INVALID);

    const [row] = await t.db
      .getRepository(AuditLog)
      .find({ where: { action: 'password_reset', statusCode: 204 }, order: { id: 'DESC' }, take: 1 });
    expect(row).toMatchObject({ userId: user.id, resource: 'user', resourceId: String(user.id) });
    expect(row.details).toBe('password reset; 2 session(s) revoked');
  });

  it('answers an unknown or inactive account exactly the same, and mails nothing', async () => {
    const unknown = uniqueEmail('nobody');
    expect((await forgot(unknown).expect(202)).body).toEqual(FORGOT_ANSWER);
    const inactive = await registerAndLogin(t.http);
    await setUserFlags(t.db, inactive.id, { isActive: false });
    expect((await forgot(inactive.email).expect(202)).body).toEqual(FORGOT_ANSWER);
    // A later request for a known account is mailed: the two above had their turn first.
    const known = await registerAndLogin(t.http);
    await forgot(known.email).expect(202);
    await resetMail(known.email);
    const addresses = emlMails(t.config.LOG_DIR).map((m) => m.to);
    expect(addresses).not.toContain(unknown);
    expect(addresses.filter((a) => a === inactive.email)).toHaveLength(1); // its verification mail only
  });

  it('a newer request makes the older link stop working', async () => {
    const user = await registerAndLogin(t.http);
    await forgot(user.email).expect(202);
    const first = tokenIn(await resetMail(user.email, 1));
    await forgot(user.email).expect(202);
    const second = tokenIn(await resetMail(user.email, 2));
    expect(second).not.toBe(first);
    expect((await reset(first, 'a-brand-new-password').expect(400)).body).toEqual(INVALID);
    await reset(second, 'a-brand-new-password').expect(204);
  });

  it('refuses an expired token', async () => {
    const user = await registerAndLogin(t.http);
    await forgot(user.email).expect(202);
    const token = tokenIn(await resetMail(user.email));
    await t.db
      .getRepository(AccountToken)
      .update({ userId: user.id, purpose: 'password_reset' }, { expiresAt: new Date(Date.now() - 1000) });
    expect((await reset(token, 'a-brand-new-password').expect(400)).body).toEqual(INVALID);
    await login(user.email, user.password).expect(200);
  });

  it('gives one success to two resets racing with the same token', async () => {
    const user = await registerAndLogin(t.http);
    await forgot(user.email).expect(202);
    const token = tokenIn(await resetMail(user.email));
    const answers = await Promise.all([
      reset(token, 'first-racing-password'),
      reset(token, 'second-racing-password'),
      reset(token, 'third-racing-password'),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([204, 400, 400]);
    const winner = ['first-racing-password', 'second-racing-password', 'third-racing-password'][
      answers.findIndex((a) => a.status === 204)
    ];
    await login(user.email, winner).expect(200);
  });

  it('validates the bodies (422) and refuses unknown tokens (400)', async () => {
    await forgot('not-an-email').expect(422);
    await t.http.post('/auth/password/forgot').send({}).expect(422);
    await reset('x'.repeat(43), 'short').expect(422);
    await reset('has spaces!', 'long-enough-password').expect(422);
    expect((await reset('A'.repeat(43), 'long-enough-password').expect(400)).body).toEqual(INVALID);
  });

  it('proves the address: a reset also marks the email verified', async () => {
    const user = await registerAndLogin(t.http);
    expect((await meWith(t.http, user.access).expect(200)).body.email_verified).toBe(false);
    await forgot(user.email).expect(202);
    await reset(tokenIn(await resetMail(user.email)), 'a-brand-new-password').expect(204);
    const fresh = (await login(user.email, 'a-brand-new-password').expect(200)).body;
    expect((await meWith(t.http, fresh.access_token as string).expect(200)).body.email_verified).toBe(true);
  });
});

describe('Password reset limits', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({
      RATE_LIMIT_ENABLED: 'true',
      RATE_LIMIT_PASSWORD_FORGOT_MAX: '3',
      RATE_LIMIT_ACCOUNT_MAILS_MAX: '2',
      RATE_LIMIT_REGISTER_MAX: '100',
    });
  });
  afterAll(() => t.close());

  it('limits per account silently (still 202, no more mail) and per address with 429', async () => {
    const email = uniqueEmail();
    await t.http.post('/auth/register').send({ email, password: 'correct-horse-battery' }).expect(201);
    // The registration's verification mail was the account's first of two.
    for (let i = 0; i < 3; i += 1) {
      expect((await t.http.post('/auth/password/forgot').send({ email }).expect(202)).body).toEqual(FORGOT_ANSWER);
    }
    const limited = await t.http.post('/auth/password/forgot').send({ email: uniqueEmail() }).expect(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    await nextEml(t.config.LOG_DIR, email, 2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const mails = emlMails(t.config.LOG_DIR).filter((m) => m.to === email);
    expect(mails.map((m) => m.subject)).toEqual([
      'Confirm your email address for Lanterne Rouge',
      'Reset your Lanterne Rouge password',
    ]);
  });
});

describe('Password reset mail over SMTP', () => {
  let smtp: SmtpTestServer;
  let t: TestApp;

  beforeAll(async () => {
    smtp = await startSmtpTestServer();
    t = await createTestApp({ SMTP_URL: smtp.url });
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  it('delivers the reset link through the SMTP server and the link works', async () => {
    const user = await registerAndLogin(t.http);
    await t.http.post('/auth/password/forgot').send({ email: user.email }).expect(202);
    const mail = await smtp.next(user.email, 2);
    expect(mail.subject).toBe('Reset your Lanterne Rouge password');
    expect(mail.text).toContain('http://localhost:3000/reset-password?token=');
    await t.http
      .post('/auth/password/reset')
      .send({ token: tokenIn(mail), new_password: 'smtp-new-password' })
      .expect(204);
    await t.http.post('/auth/login').send({ email: user.email, password: 'smtp-new-password' }).expect(200);
    const sent = await t.db.getRepository(MailOutboxRecord).findBy({ toAddress: user.email });
    expect(sent.every((r) => r.sentAt !== null && r.body === null)).toBe(true);
  });
});
