import { randomBytes } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Transporter } from 'nodemailer';
import { monotonicNow } from '../common/clock';
import type { AppConfig } from '../config/app-config';

/** Injection token of the MailTransport. */
export const MAIL_TRANSPORT = 'MAIL_TRANSPORT';

/** A message as it leaves the outbox. */
export interface OutgoingMail {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string | null;
}

/** Where mail goes: an SMTP server (SMTP_URL), or `.eml` files under LOG_DIR/mail/ when none is set. */
export interface MailTransport {
  readonly description: string;
  deliver(mail: OutgoingMail): Promise<void>;
  close(): void;
}

/** nodemailer, loaded with the first message: an instance that sends no mail does not pay for it (about 1.8 MB). */
const loadNodemailer = () => import('nodemailer');

/** A nodemailer transporter made on first use. */
class LazyTransporter {
  private made?: Promise<Transporter>;

  constructor(private readonly make: (nodemailer: Awaited<ReturnType<typeof loadNodemailer>>) => Transporter) {}

  get(): Promise<Transporter> {
    this.made ??= loadNodemailer().then(this.make);
    return this.made;
  }

  close(): void {
    void this.made?.then((transporter) => transporter.close());
  }
}

/** The same message fields for both transports; the outbox id makes the Message-ID, so a resend can be recognised. */
function envelope(mail: OutgoingMail, from: string): Parameters<Transporter['sendMail']>[0] {
  const domain = /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? 'localhost';
  return {
    from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html ?? undefined,
    messageId: `<${mail.id}@${domain}>`,
  };
}

class SmtpTransport implements MailTransport {
  readonly description: string;
  private readonly transporter: LazyTransporter;

  constructor(
    url: string,
    private readonly from: string,
  ) {
    // Credentials come in the URL; only the scheme, host and port are ever shown.
    const parsed = new URL(url);
    this.description = `${parsed.protocol}//${parsed.host}`;
    this.transporter = new LazyTransporter((nodemailer) =>
      nodemailer.createTransport({
        url,
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 30_000,
      }),
    );
  }

  async deliver(mail: OutgoingMail): Promise<void> {
    await (await this.transporter.get()).sendMail(envelope(mail, this.from));
  }

  close(): void {
    this.transporter.close();
  }
}

/** Renders the real RFC 5322 message with nodemailer's stream transport and writes it as `<time>_<id>.eml`. */
class EmlFileTransport implements MailTransport {
  readonly description: string;
  private readonly transporter = new LazyTransporter((nodemailer) =>
    nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' }),
  );

  constructor(
    private readonly directory: string,
    private readonly from: string,
  ) {
    this.description = `.eml files in ${directory}`;
  }

  async deliver(mail: OutgoingMail): Promise<void> {
    // Named by when delivery began, strictly increasing: two mails of the same millisecond still sort in order.
    const name = `${monotonicNow().toISOString().replace(/[:.]/g, '-')}_${mail.id}.eml`;
    const info = await (await this.transporter.get()).sendMail(envelope(mail, this.from));
    await mkdir(this.directory, { recursive: true, mode: 0o700 });
    // Written whole then renamed, so a reader never sees half a message. The body holds tokens: owner only.
    const partial = join(this.directory, `.${name}.${randomBytes(4).toString('hex')}.tmp`);
    await writeFile(partial, info.message as Buffer, { mode: 0o600 });
    await rename(partial, join(this.directory, name));
  }

  close(): void {
    this.transporter.close();
  }
}

export function mailTransportFor(config: AppConfig): MailTransport {
  return config.SMTP_URL
    ? new SmtpTransport(config.SMTP_URL, config.MAIL_FROM)
    : new EmlFileTransport(join(config.LOG_DIR, 'mail'), config.MAIL_FROM);
}
