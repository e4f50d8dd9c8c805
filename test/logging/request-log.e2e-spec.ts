import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startServer, type ServerProcess } from '../helpers/server-process';

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const PASSWORD = 'log-check-password-93817';

/**
 * The production log of the real server process (`node dist/src/main.js`, NODE_ENV=production): every
 * stdout line is one JSON object, each request gives exactly one line with its fields, and no credential
 * reaches the output.
 */
describe('request log lines on stdout (e2e, real server process)', () => {
  let dir: string;
  let server: ServerProcess;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lr-log-'));
    server = await startServer(
      {
        NODE_ENV: 'production',
        SECRET_KEY: 'request-log-test-secret-0123456789abcdef',
        TOKEN_ENCRYPTION_KEY: 'b'.repeat(64),
        DATABASE_URL: `sqlite:///${path.join(dir, 'log.db')}`,
        LOG_DIR: path.join(dir, 'logs'),
        BCRYPT_ROUNDS: '4',
        RATE_LIMIT_ENABLED: 'false',
        LOG_LEVEL: 'info',
        LOG_FORMAT: '',
      },
      { timeoutMs: 120_000 },
    );
  });
  afterAll(async () => {
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const post = (route: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> =>
    fetch(`${server.url}${route}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  /** The parsed stdout lines, once `ready` holds for them (the log is written asynchronously). */
  async function logLines(ready: (lines: Record<string, unknown>[]) => boolean): Promise<Record<string, unknown>[]> {
    for (const deadline = Date.now() + 10_000; ;) {
      const text = server.stdout();
      const lines = text
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      if (ready(lines) || Date.now() > deadline) {
        return lines;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('writes one JSON line per request with method, route, status, duration, request id, user id and ISO time', async () => {
    const email = `log-${Date.now()}@example.com`;
    const registered = await post('/auth/register', { email, password: PASSWORD });
    expect(registered.status).toBe(201);
    const { id: userId } = (await registered.json()) as { id: number };
    const login = await post('/auth/login', { email, password: PASSWORD }, { 'X-Request-Id': 'log-login-1' });
    const tokens = (await login.json()) as { access_token: string; refresh_token: string };
    expect(login.status).toBe(200);

    const sessions = await fetch(`${server.url}/sessions?limit=5`, {
      headers: { Authorization: `Bearer ${tokens.access_token}`, 'X-Request-Id': 'log-check-1' },
    });
    expect(sessions.status).toBe(200);
    const refused = await fetch(`${server.url}/sessions/999999`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${tokens.access_token}`, 'X-Request-Id': 'log-check-2' },
    });
    expect(refused.status).toBe(404);
    await post('/auth/refresh', { refresh_token: tokens.refresh_token }, { 'X-Request-Id': 'log-refresh-1' });

    const byId = (lines: Record<string, unknown>[], id: string) => lines.filter((line) => line.request_id === id);
    const lines = await logLines((all) =>
      ['log-check-1', 'log-check-2', 'log-refresh-1'].every((id) => byId(all, id).length > 0),
    );

    // Every line on stdout is JSON: the start-up messages go through pino too.
    expect(lines.some((line) => line.context === 'Bootstrap' && /listening on/.test(String(line.msg)))).toBe(true);
    for (const line of lines) {
      expect(line.time).toEqual(expect.stringMatching(ISO_TIME));
      expect(typeof line.level).toBe('string');
    }

    expect(byId(lines, 'log-check-1')).toEqual([
      expect.objectContaining({
        level: 'info',
        method: 'GET',
        route: '/sessions',
        path: '/sessions',
        status: 200,
        duration_ms: expect.any(Number),
        request_id: 'log-check-1',
        user_id: userId,
        time: expect.stringMatching(ISO_TIME),
      }),
    ]);
    expect(byId(lines, 'log-check-2')).toEqual([
      expect.objectContaining({ method: 'DELETE', route: '/sessions/:id', status: 404, user_id: userId }),
    ]);
    expect(byId(lines, 'log-login-1')).toEqual([
      expect.objectContaining({ method: 'POST', route: '/auth/login', status: 200, user_id: null }),
    ]);

    // No credential, in any form, anywhere in the output.
    const output = server.output();
    for (const secret of [PASSWORD, tokens.access_token, tokens.refresh_token, tokens.access_token.split('.')[2]]) {
      expect(output).not.toContain(secret);
    }
    expect(output).not.toMatch(/authorization/i);
  });
});
