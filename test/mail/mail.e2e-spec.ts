import * as fs from 'node:fs';
import { MailOutboxRecord } from '../../src/mail/mail-outbox.entity';
import { MAIL_MAX_ATTEMPTS, MailOutboxWorker } from '../../src/mail/mail-outbox.worker';
import { MailService } from '../../src/mail/mail.service';
import { emlFiles, eventually, nextEml, type SmtpTestServer, startSmtpTestServer } from '../helpers/mail';
import { createTestApp, type TestApp } from '../helpers/test-app';

const FROM = 'Lanterne Rouge <no-reply@lanterne-rouge.test>';

describe('Mail over SMTP (a real SMTP server on loopback)', () => {
  let smtp: SmtpTestServer;
  let t: TestApp;
  let mail: MailService;
  let worker: MailOutboxWorker;

  beforeAll(async () => {
    smtp = await startSmtpTestServer();
    t = await createTestApp({ SMTP_URL: smtp.url, MAIL_FROM: FROM });
    mail = t.app.get(MailService);
    worker = t.app.get(MailOutboxWorker);
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  const rows = (): Promise<MailOutboxRecord[]> =>
    t.db.getRepository(MailOutboxRecord).find({ order: { createdAt: 'ASC' } });

  it('delivers text and HTML with the credentials of SMTP_URL, then erases the sealed body', async () => {
    await mail.send({
      to: 'rider@example.com',
      subject: 'Bonjour, café ✓',
      text: 'Plain text with a long link https://app.example/reset-password?token=abcDEF123_-xyz and é',
      html: '<p>HTML <a href="https://app.example/x">link</a></p>',
    });
    const received = await smtp.next('rider@example.com');
    expect(received.from).toBe(FROM);
    expect(received.subject).toBe('Bonjour, café ✓');
    expect(received.text).toContain('token=abcDEF123_-xyz and é');
    expect(received.html).toContain('<a href="https://app.example/x">link</a>');
    expect(received.envelope).toEqual({
      from: 'no-reply@lanterne-rouge.test',
      to: ['rider@example.com'],
      user: 'mailer',
    });

    await worker.idle();
    const [row] = await rows();
    expect(row.sentAt).toBeInstanceOf(Date);
    expect(row.body).toBeNull();
    expect(row.attempts).toBe(1);
    expect(received.messageId).toBe(`<${row.id}@lanterne-rouge.test>`);
  });

  it('retries a refused message with back-off and delivers it once', async () => {
    await t.db.getRepository(MailOutboxRecord).clear();
    smtp.messages.length = 0;
    smtp.failNext(1);
    await mail.send({ to: 'retry@example.com', subject: 'Retry me', text: 'the secret link ?token=SECRET-TOKEN-1' });
    const pending = await eventually(async () => {
      const [row] = await rows();
      return row?.lastError ? row : undefined;
    });
    expect(pending.sentAt).toBeNull();
    expect(pending.attempts).toBe(1);
    expect(pending.lastError).toMatch(/451|busy/i);
    expect(pending.lastError).not.toContain('SECRET-TOKEN-1');
    // The queued body is sealed at rest: the token is not readable in the table.
    expect(pending.body).not.toBeNull();
    expect(pending.body).not.toContain('SECRET-TOKEN-1');
    const delayMs = pending.nextAttemptAt.getTime() - Date.now();
    expect(delayMs).toBeGreaterThan(20_000);
    expect(delayMs).toBeLessThanOrEqual(30_000);

    // Not due yet: a pass now sends nothing.
    await worker.deliverDue();
    expect(smtp.messages).toHaveLength(0);

    // Two passes racing once it is due: one claim wins, the message goes out once.
    const later = new Date(Date.now() + 31_000);
    await Promise.all([worker.deliverDue(later), worker.deliverDue(later)]);
    await worker.idle();
    expect(smtp.messages.filter((m) => m.to === 'retry@example.com')).toHaveLength(1);
    const [sent] = await rows();
    expect(sent.attempts).toBe(2);
    expect(sent.sentAt).toBeInstanceOf(Date);
    expect(sent.lastError).toBeNull();
  });

  it('sends each of many queued messages exactly once when passes race', async () => {
    await t.db.getRepository(MailOutboxRecord).clear();
    smtp.messages.length = 0;
    smtp.failNext(30);
    for (let i = 0; i < 30; i += 1) {
      await mail.send({ to: `many${i}@example.com`, subject: `Message ${i}`, text: `body ${i}` });
    }
    await eventually(async () => ((await rows()).every((r) => r.lastError) ? true : undefined));
    const later = new Date(Date.now() + 31_000);
    await Promise.all([worker.deliverDue(later), worker.deliverDue(later), worker.deliverDue(later)]);
    await worker.idle();
    const later2 = new Date(Date.now() + 31_000);
    await Promise.all([worker.deliverDue(later2), worker.deliverDue(later2)]);
    const addresses = smtp.messages.map((m) => m.to).sort();
    expect(addresses).toEqual(Array.from({ length: 30 }, (_v, i) => `many${i}@example.com`).sort());
  });

  it(`gives up after ${MAIL_MAX_ATTEMPTS} attempts and keeps the error`, async () => {
    await t.db.getRepository(MailOutboxRecord).clear();
    smtp.messages.length = 0;
    smtp.failNext(MAIL_MAX_ATTEMPTS + 5);
    await mail.send({ to: 'never@example.com', subject: 'Never', text: 'x' });
    let at = Date.now();
    for (let i = 0; i < MAIL_MAX_ATTEMPTS + 2; i += 1) {
      await worker.idle();
      at += 3_700_000;
      await worker.deliverDue(new Date(at));
    }
    const [row] = await rows();
    expect(row.attempts).toBe(MAIL_MAX_ATTEMPTS);
    expect(row.sentAt).toBeNull();
    expect(row.lastError).toMatch(/451|busy/i);
    expect(smtp.messages).toHaveLength(0);
  });
});

describe('Mail without SMTP_URL: .eml files under LOG_DIR/mail/', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ MAIL_FROM: FROM });
  });
  afterAll(() => t.close());

  it('writes each message as a complete .eml file readable only by its owner', async () => {
    const mail = t.app.get(MailService);
    await mail.send({
      to: 'eml@example.com',
      subject: 'Written to disk',
      text: 'Hello ?token=T0KEN',
      html: '<b>Hi</b>',
    });
    const received = await nextEml(t.config.LOG_DIR, 'eml@example.com');
    expect(received.from).toBe(FROM);
    expect(received.subject).toBe('Written to disk');
    expect(received.text).toContain('?token=T0KEN');
    expect(received.html).toContain('<b>Hi</b>');
    const [file] = emlFiles(t.config.LOG_DIR);
    expect(file).toMatch(/_[0-9a-f-]{36}\.eml$/);
    expect(fs.statSync(file).mode & 0o077).toBe(0);
    await t.app.get(MailOutboxWorker).idle();
    const [row] = await t.db.getRepository(MailOutboxRecord).find();
    expect(row.sentAt).toBeInstanceOf(Date);
    expect(row.body).toBeNull();
  });
});
