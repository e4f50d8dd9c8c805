import { uniqueEmail } from '../../helpers/auth';
import { utcDate } from '../../helpers/dates';

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed JSON body, or undefined when the body was not JSON (read field by field by the specs). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
  ms: number;
}

export interface Call {
  method?: string;
  token?: string;
  /** A value to send as JSON, or a raw string/Buffer with its own content type. */
  body?: unknown;
  raw?: string | Buffer;
  headers?: Record<string, string>;
  requestId?: string;
  timeoutMs?: number;
}

/** One HTTP request on loopback; never throws for a status, only for a transport failure. */
export async function call(base: string, path: string, options: Call = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.token) {
    headers.authorization = `Bearer ${options.token}`;
  }
  if (options.requestId) {
    headers['x-request-id'] = options.requestId;
  }
  let body: string | Buffer | undefined = options.raw;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const started = performance.now();
  const res = await fetch(`${base}${path}`, {
    method: options.method ?? (body === undefined ? 'GET' : 'POST'),
    headers,
    body,
    signal: AbortSignal.timeout(options.timeoutMs ?? 20_000),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json, ms: performance.now() - started };
}

/** The contract's error shape: `detail` is a string, or for 422 a list of `{loc, msg, type}`. */
export function errorShapeProblem(reply: Reply): string | undefined {
  if (reply.status < 400) {
    return undefined;
  }
  const body = reply.json as { detail?: unknown } | undefined;
  if (!body || typeof body !== 'object' || !('detail' in body)) {
    return `no detail in ${reply.status} body ${reply.text.slice(0, 200)}`;
  }
  const code = (body as { code?: unknown }).code;
  if (typeof code !== 'string' || !/^[a-z][a-z0-9_]*$/.test(code)) {
    return `no snake_case code in ${reply.status} body ${reply.text.slice(0, 200)}`;
  }
  const detail = body.detail;
  if (reply.status === 422) {
    const items = Array.isArray(detail) ? (detail as unknown[]) : [];
    const good =
      items.length > 0 &&
      items.every((i) => {
        const item = i as { loc?: unknown; msg?: unknown; type?: unknown };
        return Array.isArray(item.loc) && typeof item.msg === 'string' && typeof item.type === 'string';
      });
    return good ? undefined : `422 detail is not a list of {loc, msg, type}: ${reply.text.slice(0, 200)}`;
  }
  if (typeof detail !== 'string' || detail.length === 0) {
    return `${reply.status} detail is not a string: ${reply.text.slice(0, 200)}`;
  }
  if (/SQLITE|QueryFailedError|syntax error|at \S+ \(|node_modules|SELECT |INSERT /.test(reply.text)) {
    return `${reply.status} body leaks internals: ${reply.text.slice(0, 200)}`;
  }
  return undefined;
}

export interface Account {
  email: string;
  password: string;
  id: number;
  access: string;
  refresh: string;
}

export async function registerAndLogin(base: string, prefix = 'res'): Promise<Account> {
  const email = uniqueEmail(prefix);
  const password = 'correct-horse-battery';
  const reg = await call(base, '/auth/register', { body: { email, password } });
  if (reg.status !== 201) {
    throw new Error(`register answered ${reg.status}: ${reg.text}`);
  }
  const tokens = await call(base, '/auth/login', { body: { email, password } });
  if (tokens.status !== 200) {
    throw new Error(`login answered ${tokens.status}: ${tokens.text}`);
  }
  return {
    email,
    password,
    id: reg.json.id as number,
    access: tokens.json.access_token as string,
    refresh: tokens.json.refresh_token as string,
  };
}

/** A route the build does not have answers Express's own `Cannot POST /x` 404. */
export function isMissingRoute(reply: Reply): boolean {
  return (
    reply.status === 404 &&
    typeof reply.json?.detail === 'string' &&
    (reply.json.detail as string).startsWith('Cannot ')
  );
}

export const validQuestionnaire = (): Record<string, unknown> => ({
  event_name: 'Resilience Gravel 200',
  event_date: utcDate(150),
  mission_type: 'gravel_ultra',
  weekly_hours: { min: 6, max: 10 },
  current_ftp: 250,
});
