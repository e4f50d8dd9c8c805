import * as fs from 'node:fs';
import * as path from 'node:path';
import { SMTPServer } from 'smtp-server';

/** One message as a mail client would read it: headers, and the decoded text and HTML parts. */
export interface ReceivedMail {
  raw: string;
  from: string;
  to: string;
  subject: string;
  messageId: string;
  text: string;
  html: string | null;
  /** From the SMTP session (the real server only). */
  envelope?: { from: string; to: string[]; user?: string };
}

function headersOf(block: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of block.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) {
      headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
  }
  return headers;
}

function decodeBody(body: string, encoding: string | undefined): string {
  switch ((encoding ?? '7bit').toLowerCase()) {
    case 'quoted-printable': {
      const soft = body.replace(/=\r?\n/g, '');
      const bytes: number[] = [];
      for (let i = 0; i < soft.length; i += 1) {
        const hex = soft.slice(i + 1, i + 3);
        if (soft[i] === '=' && /^[0-9A-F]{2}$/i.test(hex)) {
          bytes.push(parseInt(hex, 16));
          i += 2;
        } else {
          bytes.push(...Buffer.from(soft[i], 'utf8'));
        }
      }
      return Buffer.from(bytes).toString('utf8');
    }
    case 'base64':
      return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    default:
      return body;
  }
}

/** Decodes a MIME encoded-word subject (=?UTF-8?Q?...?= or =?UTF-8?B?...?=). */
function decodeWords(value: string): string {
  return value.replace(/=\?utf-8\?([QB])\?([^?]*)\?=\s*/gi, (_m, kind: string, text: string) =>
    kind.toUpperCase() === 'B'
      ? Buffer.from(text, 'base64').toString('utf8')
      : decodeBody(text.replace(/_/g, ' '), 'quoted-printable'),
  );
}

/** Reads the message nodemailer writes: one part, or multipart/alternative with text and HTML. */
export function parseMail(raw: string): ReceivedMail {
  const split = raw.search(/\r?\n\r?\n/);
  const headers = headersOf(raw.slice(0, split));
  const body = raw.slice(split).replace(/^\r?\n\r?\n/, '');
  const parts: Array<{ type: string; content: string }> = [];
  const boundary = /boundary="?([^";]+)"?/i.exec(headers.get('content-type') ?? '')?.[1];
  if (boundary) {
    for (const chunk of body.split(`--${boundary}`).slice(1)) {
      if (chunk.startsWith('--')) {
        break;
      }
      const at = chunk.search(/\r?\n\r?\n/);
      const partHeaders = headersOf(chunk.slice(0, at));
      const content = chunk
        .slice(at)
        .replace(/^\r?\n\r?\n/, '')
        .replace(/\r?\n$/, '');
      parts.push({
        type: partHeaders.get('content-type') ?? 'text/plain',
        content: decodeBody(content, partHeaders.get('content-transfer-encoding')),
      });
    }
  } else {
    parts.push({
      type: headers.get('content-type') ?? 'text/plain',
      content: decodeBody(body, headers.get('content-transfer-encoding')),
    });
  }
  return {
    raw,
    from: headers.get('from') ?? '',
    to: headers.get('to') ?? '',
    subject: decodeWords(headers.get('subject') ?? ''),
    messageId: headers.get('message-id') ?? '',
    text: parts.find((p) => p.type.startsWith('text/plain'))?.content ?? '',
    html: parts.find((p) => p.type.startsWith('text/html'))?.content ?? null,
  };
}

/** The token of the first `?token=` link in a message. */
export function tokenIn(mail: ReceivedMail): string {
  const match = /[?&]token=([A-Za-z0-9_-]+)/.exec(mail.text);
  if (!match) {
    throw new Error(`No token link in mail "${mail.subject}"`);
  }
  return match[1];
}

/** Polls until `probe` returns a value (not undefined), or fails after `timeoutMs`. */
export async function eventually<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`Timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The `.eml` files the fallback transport wrote under `<logDir>/mail/`, oldest first. */
export function emlFiles(logDir: string): string[] {
  const dir = path.join(logDir, 'mail');
  if (!fs.existsSync(dir)) {
    return [];
  }
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.eml'))
    .sort()
    .map((name) => path.join(dir, name));
}

/** The messages written as `.eml` files, oldest first. */
export function emlMails(logDir: string): ReceivedMail[] {
  return emlFiles(logDir).map((file) => parseMail(fs.readFileSync(file, 'utf8')));
}

/** Waits for the `count`-th message addressed to `to` in the .eml folder and returns it. */
export function nextEml(logDir: string, to: string, count = 1): Promise<ReceivedMail> {
  return eventually(() => emlMails(logDir).filter((m) => m.to === to)[count - 1], 10_000, `mail #${count} to ${to}`);
}

export interface SmtpTestServer {
  /** `smtp://user:pass@127.0.0.1:<port>` */
  url: string;
  port: number;
  messages: ReceivedMail[];
  /** The next `n` messages are refused with a temporary failure (451) after their data is sent. */
  failNext(n: number): void;
  /** Waits for the `count`-th message to `to`. */
  next(to: string, count?: number): Promise<ReceivedMail>;
  close(): Promise<void>;
}

/**
 * A real SMTP server (the `smtp-server` package) on a loopback port (random unless given) that requires the given
 * credentials (AUTH PLAIN/LOGIN over plain text, as a local relay would) and keeps every message it accepts.
 */
export async function startSmtpTestServer(user = 'mailer', pass = 'mail-secret', port = 0): Promise<SmtpTestServer> {
  const messages: ReceivedMail[] = [];
  let failures = 0;
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === user && auth.password === pass) {
        callback(null, { user });
      } else {
        callback(new Error('Invalid username or password'));
      }
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (failures > 0) {
          failures -= 1;
          const error = new Error('Mailbox busy, try again later') as Error & { responseCode: number };
          error.responseCode = 451;
          callback(error);
          return;
        }
        const mail = parseMail(Buffer.concat(chunks).toString('utf8'));
        mail.envelope = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          user: session.user as string | undefined,
        };
        messages.push(mail);
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const bound = (server.server.address() as { port: number }).port;
  return {
    url: `smtp://${user}:${pass}@127.0.0.1:${bound}`,
    port: bound,
    messages,
    failNext: (n) => {
      failures = n;
    },
    next: (to, count = 1) =>
      eventually(() => messages.filter((m) => m.to === to)[count - 1], 10_000, `mail #${count} to ${to}`),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
