import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { type FakeOpenAi, startFakeOpenAi } from '../helpers/fake-openai.server';
import { createScratchDatabase, type ScratchDatabase } from '../helpers/scratch-database';
import { dropKeys, suiteKeyPrefix, TEST_REDIS_URL as REDIS_URL } from '../helpers/redis-keys';
import { PROJECT_ROOT, startServer, type ServerProcess } from '../helpers/server-process';
import { utcDate } from '../helpers/dates';

const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const NGINX = process.env.NGINX_PATH ?? '/usr/sbin/nginx';
/** Loopback addresses standing for two client machines and for the proxy, so each side is told apart. */
const CLIENT = '127.0.0.5';
const OTHER_CLIENT = '127.0.0.6';
const PROXY_SOURCE = '127.0.0.2';

interface Answer {
  status: number;
  body: string;
  headers: http.IncomingHttpHeaders;
}

/** One HTTP request from a chosen loopback source address (what fetch cannot choose). */
function call(
  url: string,
  options: { method?: string; body?: unknown; headers?: Record<string, string>; from?: string } = {},
): Promise<Answer> {
  const data = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: options.method ?? 'GET',
        localAddress: options.from ?? CLIENT,
        agent: false,
        headers: { ...(data ? { 'Content-Type': 'application/json' } : {}), ...options.headers },
      },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * deploy/nginx.conf (the file compose.yaml mounts) with loopback addresses for the two instances and
 * the listener, inside a minimal main configuration. `proxy_bind` gives the proxy's side its own
 * loopback address, as it would have its own machine.
 */
function nginxConfig(dir: string, listen: number, a: number, b: number): string {
  const site = fs
    .readFileSync(path.join(PROJECT_ROOT, 'deploy/nginx.conf'), 'utf8')
    .replace('server api1:8000', `server 127.0.0.1:${a}`)
    .replace('server api2:8000', `server 127.0.0.1:${b}`)
    .replace('listen 80;', `listen 127.0.0.1:${listen};`)
    .replace('proxy_pass http://lanterne_api;', `proxy_pass http://lanterne_api;\n        proxy_bind ${PROXY_SOURCE};`);
  expect(site).toContain(`127.0.0.1:${a}`);
  expect(site).toContain(`127.0.0.1:${b}`);
  expect(site).toContain(`listen 127.0.0.1:${listen}`);
  fs.writeFileSync(path.join(dir, 'site.conf'), site);
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map((name) => `${name}_temp_path ${path.join(dir, `${name}_temp`)};`)
    .join('\n  ');
  return `daemon off;
worker_processes 1;
user root;
pid ${path.join(dir, 'nginx.pid')};
error_log ${path.join(dir, 'error.log')} warn;
events { worker_connections 512; }
http {
  access_log ${path.join(dir, 'access.log')};
  ${temp}
  include ${path.join(dir, 'site.conf')};
}
`;
}

/**
 * Two instances on PostgreSQL and Redis behind nginx, configured by deploy/nginx.conf: the client
 * address in audit rows and rate limits is the real client's (TRUST_PROXY=1), a session made on one
 * instance is revoked on the other, and SIGTERM to one instance under load loses no request.
 */
describe('two instances behind nginx (deploy)', () => {
  let dir: string;
  let database: ScratchDatabase;
  let fake: FakeOpenAi;
  let a: ServerProcess;
  let b: ServerProcess;
  let nginx: ChildProcess;
  let proxy: string;
  const prefix = suiteKeyPrefix('lr-proxy');

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lr-proxy-'));
    database = await createScratchDatabase(PG_URL, 'lr_proxy');
    fake = await startFakeOpenAi({ kind: 'draft' });
    const env = {
      NODE_ENV: 'production',
      SECRET_KEY: 'reverse-proxy-test-secret-0123456789abcdef',
      TOKEN_ENCRYPTION_KEY: 'b'.repeat(64),
      DATABASE_URL: database.url,
      REDIS_URL,
      TRUST_PROXY: '1',
      RATE_LIMIT_REDIS_PREFIX: prefix,
      RATE_LIMIT_LOGIN_FAILURES_PER_ADDRESS: '3',
      RATE_LIMIT_LOGIN_FAILURES_PER_ACCOUNT: '100',
      BCRYPT_ROUNDS: '4',
      OPENAI_API_KEY: 'test-key',
      OPENAI_BASE_URL: fake.url,
      SHUTDOWN_TIMEOUT_MS: '15000',
      LOG_DIR: path.join(dir, 'logs'),
    };
    [a, b] = await Promise.all([startServer(env, { timeoutMs: 120_000 }), startServer(env, { timeoutMs: 120_000 })]);
    const listen = await freePort();
    const conf = path.join(dir, 'nginx.conf');
    fs.writeFileSync(conf, nginxConfig(dir, listen, a.port, b.port));
    nginx = spawn(NGINX, ['-c', conf, '-p', dir, '-e', path.join(dir, 'error.log')], { stdio: 'inherit' });
    proxy = `http://127.0.0.1:${listen}`;
    for (const deadline = Date.now() + 10_000; ;) {
      if (
        await call(`${proxy}/healthz`).then(
          (r) => r.status === 200,
          () => false,
        )
      ) {
        break;
      }
      if (Date.now() > deadline || nginx.exitCode !== null) {
        throw new Error(`nginx did not start: ${fs.readFileSync(path.join(dir, 'error.log'), 'utf8')}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  });

  afterAll(async () => {
    nginx?.kill('SIGQUIT');
    await a?.stop();
    await b?.stop();
    await fake?.close();
    await dropKeys(prefix);
    await database?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function auditAddress(requestId: string): Promise<string | null> {
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ ip_address: string | null }>(
        'SELECT ip_address FROM audit_logs WHERE request_id = $1',
        [requestId],
      );
      expect(rows).toHaveLength(1);
      return rows[0].ip_address;
    } finally {
      await client.end();
    }
  }

  const credentials = (email: string) => ({ email, password: 'correct-horse-battery' });

  async function login(base: string, email: string): Promise<{ access_token: string; refresh_token: string }> {
    // From the client that the rate-limit test leaves unblocked.
    const res = await call(`${base}/auth/login`, { method: 'POST', from: OTHER_CLIENT, body: credentials(email) });
    expect(res.status).toBe(200);
    return JSON.parse(res.body) as { access_token: string; refresh_token: string };
  }

  it('records the real client address, not the proxy or what the client claims', async () => {
    const res = await call(`${proxy}/auth/register`, {
      method: 'POST',
      body: credentials('addressed@example.com'),
      headers: { 'X-Forwarded-For': '203.0.113.9', 'X-Request-Id': 'through-nginx-1' },
    });
    expect(res.status).toBe(201);
    expect(await auditAddress('through-nginx-1')).toBe(CLIENT);
  });

  it('limits failed logins per real client address across both instances', async () => {
    const fail = (from: string, n: number) =>
      call(`${proxy}/auth/login`, { method: 'POST', from, body: credentials(`nobody-${n}@example.com`) });
    for (let n = 0; n < 3; n++) {
      expect((await fail(CLIENT, n)).status).toBe(401);
    }
    const refused = await fail(CLIENT, 3);
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBeDefined();
    // Another client behind the same proxy is not refused: the limit is not the proxy's address.
    expect((await fail(OTHER_CLIENT, 4)).status).toBe(401);
  });

  it('revokes on one instance a session made on the other', async () => {
    await call(`${proxy}/auth/register`, { method: 'POST', from: OTHER_CLIENT, body: credentials('both@example.com') });
    const tokens = await login(a.url, 'both@example.com');
    const bearer = { Authorization: `Bearer ${tokens.access_token}` };
    expect((await call(`${b.url}/users/me`, { headers: bearer })).status).toBe(200);
    expect((await call(`${b.url}/auth/logout`, { method: 'POST', headers: bearer })).status).toBeLessThan(300);
    expect((await call(`${a.url}/users/me`, { headers: bearer })).status).toBe(401);
    const refresh = await call(`${a.url}/auth/refresh`, {
      method: 'POST',
      body: { refresh_token: tokens.refresh_token },
    });
    expect(refresh.status).toBe(401);
  });

  it('loses no request when one instance is stopped with SIGTERM under load', async () => {
    await call(`${proxy}/auth/register`, { method: 'POST', from: OTHER_CLIENT, body: credentials('load@example.com') });
    const { access_token } = await login(proxy, 'load@example.com');
    const headers = { Authorization: `Bearer ${access_token}` };
    const answers: string[] = [];
    const note = (kind: string) => (res: Answer) => answers.push(`${kind} ${res.status}`);
    const failed = (kind: string) => (error: Error) => answers.push(`${kind} error ${error.message}`);

    // Slow requests in flight on both instances when the signal comes.
    fake.reset();
    fake.setDefault({ kind: 'delay', ms: 2000, then: { kind: 'draft' } });
    const questionnaire = {
      event_name: 'Tour of Flanders',
      event_date: utcDate(90),
      mission_type: 'classic',
      weekly_hours: { min: 5, max: 9 },
      current_ftp: 240,
      riding_style: 'steady',
    };
    const drafts = [0, 1, 2, 3].map(() =>
      call(`${proxy}/missions/draft`, { method: 'POST', headers, body: questionnaire }).then(
        note('draft'),
        failed('draft'),
      ),
    );
    for (const deadline = Date.now() + 10_000; fake.requests.length < 4;) {
      expect(Date.now()).toBeLessThan(deadline);
      await new Promise((r) => setTimeout(r, 20));
    }

    // A steady stream of reads from four clients until A has gone and a little after.
    let running = true;
    const loops = [0, 1, 2, 3].map(async () => {
      while (running) {
        await call(`${proxy}/users/me`, { headers }).then(note('me'), failed('me'));
      }
    });
    await new Promise((r) => setTimeout(r, 300));
    const stopped = a.stop('SIGTERM');
    const ended = await stopped;
    await new Promise((r) => setTimeout(r, 500));
    running = false;
    await Promise.all([...loops, ...drafts]);

    expect(ended).toEqual({ code: 0, signal: null });
    expect(a.output()).toMatch(/finishing [1-9]\d* in-flight request/);
    expect(a.output()).toMatch(/Shutdown complete in \d+ ms: (\d+) of \1 in-flight request\(s\) finished/);
    const bad = answers.filter((line) => !/^(draft 201|me 200)$/.test(line));
    expect(bad).toEqual([]);
    expect(answers.filter((line) => line === 'draft 201')).toHaveLength(4);
    expect(answers.filter((line) => line === 'me 200').length).toBeGreaterThan(20);
  });
});
