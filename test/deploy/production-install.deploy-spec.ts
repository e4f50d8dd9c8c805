import { execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../helpers/server-process';

const run = promisify(execFile);
const NOBODY = 65534;

/** `cmd args...` as the unprivileged user `nobody`, like the image's `USER node`. */
const asNobody = (cmd: string, args: string[]): [string, string[]] => [
  'setpriv',
  [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', '--', cmd, ...args],
];

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** The JSON-array form of the Dockerfile's HEALTHCHECK CMD. */
function healthcheckCommand(dockerfile: string): string[] {
  const match = /HEALTHCHECK[^\n]*\\\n\s*CMD (\[.*\])/.exec(dockerfile);
  if (!match) {
    throw new Error('Dockerfile has no HEALTHCHECK ... CMD [...]');
  }
  return JSON.parse(match[1]) as string[];
}

/**
 * The Dockerfile's runtime stage, step by step, without Docker (this machine has no engine): a clean
 * folder with package.json, the lockfile and scripts/, `npm ci --omit=dev`, then the compiled dist/
 * from the build; then, as a non-root user, `npm start` (no TypeScript, no rebuild), the admin commands,
 * the HEALTHCHECK command, and a SIGTERM that ends everything with exit 0.
 */
describe('production install from compiled code, as the Dockerfile does it (deploy)', () => {
  let dir: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lr-prod-'));
    fs.chmodSync(dir, 0o755);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('installs without dev dependencies, starts as a non-root user, runs admin commands, stops cleanly', async () => {
    const dockerfile = fs.readFileSync(path.join(PROJECT_ROOT, 'Dockerfile'), 'utf8');
    const runtime = dockerfile.slice(dockerfile.indexOf('AS runtime'));
    expect(runtime).toMatch(/\n\s*(RUN|&&) [^\n]*npm ci --omit=dev/);
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/^CMD \["node", "dist\/src\/main\.js"\]$/m);

    for (const file of ['package.json', 'package-lock.json']) {
      fs.copyFileSync(path.join(PROJECT_ROOT, file), path.join(dir, file));
    }
    fs.cpSync(path.join(PROJECT_ROOT, 'scripts'), path.join(dir, 'scripts'), { recursive: true });
    // Install scripts are skipped here and better-sqlite3's compiled binary is taken from this project's own
    // install (same lockfile, same version): no prebuilt binary can be downloaded on this machine, and
    // compiling it again from source would take minutes. Docker downloads the prebuilt binary instead.
    await run('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline'], {
      cwd: dir,
      maxBuffer: 16 * 1024 * 1024,
    });
    fs.cpSync(
      path.join(PROJECT_ROOT, 'node_modules/better-sqlite3/build'),
      path.join(dir, 'node_modules/better-sqlite3/build'),
      { recursive: true },
    );
    // The prepare hook that `npm ci` runs: no dev dependencies, no dist/ yet, and it does not fail the install.
    const prepare = await run('npm', ['run', 'prepare'], { cwd: dir });
    expect(prepare.stdout).toMatch(/production install \(no dev dependencies\) and no dist\/ yet/);
    for (const devOnly of ['jest', '@nestjs/testing', 'supertest', 'eslint', 'playwright-core']) {
      expect(fs.existsSync(path.join(dir, 'node_modules', devOnly))).toBe(false);
    }
    fs.cpSync(path.join(PROJECT_ROOT, 'dist'), path.join(dir, 'dist'), { recursive: true });
    for (const devOnly of ['bench', 'test']) {
      expect(fs.existsSync(path.join(dir, 'dist', devOnly))).toBe(false);
    }

    const data = path.join(dir, 'data');
    const home = path.join(dir, 'home');
    for (const writable of [data, home]) {
      fs.mkdirSync(writable);
      fs.chownSync(writable, NOBODY, NOBODY);
    }
    const port = await freePort();
    const env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: home,
      npm_config_cache: path.join(home, '.npm'),
      NODE_ENV: 'production',
      SECRET_KEY: 'production-install-test-secret-0123456789abcdef',
      TOKEN_ENCRYPTION_KEY: 'a'.repeat(64),
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: `sqlite:///${path.join(data, 'lanterne.db')}`,
      LOG_DIR: path.join(data, 'logs'),
      BCRYPT_ROUNDS: '4',
      SEED_ADMIN_PASSWORD: 'admin-password-for-this-test',
      SEED_TESTER_PASSWORD: 'tester-password-for-this-test',
    };

    const [cmd, args] = asNobody('npm', ['start']);
    const npm = spawn(cmd, args, { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    npm.stdout.on('data', (d: Buffer) => (out += d.toString()));
    npm.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      npm.once('exit', (code, signal) => resolve({ code, signal })),
    );
    try {
      for (const deadline = Date.now() + 180_000; ;) {
        if (npm.exitCode !== null || Date.now() > deadline) {
          throw new Error(`the production install did not start:\n${out}`);
        }
        if (
          await fetch(`http://127.0.0.1:${port}/healthz`).then(
            (r) => r.ok,
            () => false,
          )
        ) {
          break;
        }
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(out).toContain('build: production install (no dev dependencies): running the compiled dist/ as it is.');
      const server = /"pid":(\d+)/.exec(out);
      expect(server).not.toBeNull();
      const status = fs.readFileSync(`/proc/${server?.[1]}/status`, 'utf8');
      expect(status).toMatch(new RegExp(`^Uid:\\s+${NOBODY}\\s`, 'm'));

      const [hcCmd, ...hcArgs] = healthcheckCommand(dockerfile);
      await expect(run(...asNobody(hcCmd, hcArgs), { cwd: dir, env })).resolves.toBeDefined();

      const seed = await run(...asNobody('npm', ['run', 'seed', '--silent']), { cwd: dir, env });
      expect(seed.stdout).toContain('created  admin@lanterne-rouge.com (admin)');
      const show = await run(...asNobody('npm', ['run', 'migration:show', '--silent']), { cwd: dir, env });
      expect(show.stdout).toMatch(/\d+ applied, 0 pending/);
      const login = await fetch(`http://127.0.0.1:${port}/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ email: 'admin@lanterne-rouge.com', password: 'admin-password-for-this-test' }),
      });
      expect(login.status).toBe(200);
    } finally {
      npm.kill('SIGTERM');
    }
    expect(await exit).toEqual({ code: 0, signal: null });
    expect(out).toMatch(/Shutdown complete/);
  });
});
