import Database from 'better-sqlite3';
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { type FakeOpenAi, startFakeOpenAi } from '../helpers/fake-openai.server';
import { PROJECT_ROOT } from '../helpers/server-process';
import { utcDate } from '../helpers/dates';

interface NpmStart {
  url: string;
  npm: ChildProcess;
  output(): string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
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
 * `npm start` exactly as a container or a terminal runs it (the prestart build is skipped with
 * --ignore-scripts: `npm test` has just built), so the signal goes to npm, not to node.
 */
async function npmStart(env: Record<string, string>): Promise<NpmStart> {
  const port = await freePort();
  const npm = spawn('npm', ['start', '--ignore-scripts'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), NODE_ENV: 'development', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  npm.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  npm.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    npm.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = `http://127.0.0.1:${port}`;
  for (const deadline = Date.now() + 30_000; ;) {
    if (npm.exitCode !== null || Date.now() > deadline) {
      npm.kill('SIGKILL');
      throw new Error(`npm start did not come up:\n${out}`);
    }
    if (
      await fetch(`${url}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    ) {
      break;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, npm, output: () => out, exit };
}

/** The server's pid, from its own log lines (`"pid":1234` in JSON, `INFO (1234):` pretty): the node process under npm. */
const nodePidOf = (output: string): number => {
  const match = /"pid":(\d+)| \((\d+)\): /.exec(output);
  return Number(match?.[1] ?? match?.[2]);
};

const isRunning = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !condition();) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function loggedIn(url: string): Promise<Record<string, string>> {
  const json = { 'Content-Type': 'application/json' };
  const body = JSON.stringify({ email: `stop-${Date.now()}@example.com`, password: 'password123' });
  expect((await fetch(`${url}/auth/register`, { method: 'POST', headers: json, body })).status).toBe(201);
  const login = await fetch(`${url}/auth/login`, { method: 'POST', headers: json, body });
  const { access_token } = (await login.json()) as { access_token: string };
  return { ...json, Authorization: `Bearer ${access_token}` };
}

const questionnaire = JSON.stringify({
  event_name: 'Paris Roubaix Challenge',
  event_date: utcDate(100),
  mission_type: 'classic',
  weekly_hours: { min: 6, max: 10 },
  current_ftp: 250,
  riding_style: 'steady',
});

/**
 * SIGTERM sent to `npm start` (what a container runtime does when `npm start` is its command): the
 * server stops accepting connections, finishes what is in flight, writes its audit rows, closes the
 * database, logs it, and npm and node both exit 0 (no orphan left serving).
 */
describe('graceful shutdown of `npm start` (e2e)', () => {
  let dir: string;
  let fake: FakeOpenAi;
  /** Servers this suite started: killed at the end if a failing test left one behind (an orphan of npm). */
  const started: number[] = [];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lr-shutdown-'));
    fake = await startFakeOpenAi();
  });
  afterAll(async () => {
    started.filter(isRunning).forEach((pid) => process.kill(pid, 'SIGKILL'));
    await fake.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const envFor = (name: string, extra: Record<string, string> = {}): Record<string, string> => ({
    DATABASE_URL: `sqlite:///${path.join(dir, `${name}.db`)}`,
    LOG_DIR: path.join(dir, 'logs'),
    BCRYPT_ROUNDS: '4',
    RATE_LIMIT_ENABLED: 'false',
    OPENAI_API_KEY: 'test-key',
    OPENAI_BASE_URL: fake.url,
    ...extra,
  });

  it('finishes the in-flight request, refuses new connections, writes its audit row and exits 0', async () => {
    const server = await npmStart(envFor('graceful', { SHUTDOWN_TIMEOUT_MS: '20000' }));
    const nodePid = nodePidOf(server.output());
    started.push(nodePid);
    expect(nodePid).toBeGreaterThan(0);
    const headers = await loggedIn(server.url);

    fake.reset();
    fake.setDefault({ kind: 'delay', ms: 1500, then: { kind: 'draft' } });
    const inFlight = fetch(`${server.url}/missions/draft`, {
      method: 'POST',
      headers: { ...headers, 'X-Request-Id': 'in-flight-at-sigterm' },
      body: questionnaire,
    });
    await until(() => fake.requests.length === 1, 'the draft to reach the LLM');

    server.npm.kill('SIGTERM');
    await until(() => server.output().includes('SIGTERM received'), 'the shutdown log line');
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();

    const answer = await inFlight;
    expect(answer.status).toBe(201);
    expect(answer.headers.get('connection')).toBe('close');
    expect(await server.exit).toEqual({ code: 0, signal: null });
    expect(server.output()).toMatch(/finishing 1 in-flight request/);
    expect(server.output()).toMatch(
      /Shutdown complete in \d+ ms: 1 of 1 in-flight request\(s\) finished, audit writer flushed, database closed/,
    );
    expect(isRunning(nodePid)).toBe(false);

    const db = new Database(path.join(dir, 'graceful.db'), { readonly: true });
    try {
      const rows = db.prepare("SELECT status_code FROM audit_logs WHERE request_id = 'in-flight-at-sigterm'").all();
      expect(rows).toEqual([{ status_code: 201 }]);
    } finally {
      db.close();
    }
  });

  it('closes requests still running after SHUTDOWN_TIMEOUT_MS and still exits 0', async () => {
    const server = await npmStart(envFor('bounded', { SHUTDOWN_TIMEOUT_MS: '300', OPENAI_TIMEOUT_MS: '60000' }));
    const nodePid = nodePidOf(server.output());
    started.push(nodePid);
    const headers = await loggedIn(server.url);

    fake.reset();
    fake.setDefault({ kind: 'hang' });
    const hung = fetch(`${server.url}/missions/draft`, { method: 'POST', headers, body: questionnaire });
    await until(() => fake.requests.length === 1, 'the draft to reach the LLM');

    const sent = Date.now();
    server.npm.kill('SIGTERM');
    await expect(hung).rejects.toThrow();
    expect(await server.exit).toEqual({ code: 0, signal: null });
    expect(Date.now() - sent).toBeLessThan(10_000);
    expect(server.output()).toMatch(/1 request\(s\) still running after SHUTDOWN_TIMEOUT_MS=300/);
    expect(server.output()).toMatch(/Shutdown complete in \d+ ms: 0 of 1 in-flight request\(s\) finished/);
    expect(isRunning(nodePid)).toBe(false);
  });
});
