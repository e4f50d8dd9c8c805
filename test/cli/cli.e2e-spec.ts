import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../..');

/**
 * The admin commands as child processes against a temporary SQLite file, from the compiled build
 * (`npm test` builds first; the npm scripts run exactly these files after building).
 */
describe('admin command line (e2e)', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lr-cli-'));
    env = {
      ...process.env,
      DATABASE_URL: `sqlite:///${path.join(dir, 'cli.db')}`,
      BCRYPT_ROUNDS: '4',
      NODE_ENV: 'development',
    };
    delete env.SEED_ADMIN_PASSWORD;
    delete env.SEED_TESTER_PASSWORD;
    delete env.USER_PASSWORD;
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const node = async (args: string[], extra: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string }> => {
    try {
      const { stdout, stderr } = await run(process.execPath, args, { cwd: root, env: { ...env, ...extra } });
      return { code: 0, out: stdout + stderr };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, out: e.stdout + e.stderr };
    }
  };
  const typeorm = (command: string): Promise<{ code: number; out: string }> =>
    node([require.resolve('typeorm/cli.js'), command, '-d', 'dist/ormconfig.js']);
  const cli = (
    name: string,
    args: string[] = [],
    extra: NodeJS.ProcessEnv = {},
  ): Promise<{ code: number; out: string }> => node([`dist/src/cli/${name}.js`, ...args], extra);
  const query = <T>(sql: string): T[] => {
    const db = new Database(path.join(dir, 'cli.db'), { readonly: true });
    try {
      return db.prepare(sql).all() as T[];
    } finally {
      db.close();
    }
  };

  it('shows pending migrations, runs them, shows them applied, reverts one, reverts all, runs again', async () => {
    const before = await cli('migration-show');
    expect(before).toMatchObject({ code: 0 });
    expect(before.out).toMatch(/\[ \] InitialSchema\d+/);
    expect(before.out).toMatch(/0 applied, \d+ pending/);

    const ran = await typeorm('migration:run');
    expect(ran.code).toBe(0);
    expect(ran.out).toMatch(/InitialSchema\d+ has been executed successfully/);
    expect((await cli('migration-show')).out).toMatch(/\[X\] InitialSchema\d+/);
    expect(query<{ name: string }>("SELECT name FROM sqlite_master WHERE type='table' AND name='users'")).toHaveLength(
      1,
    );

    const reverted = await typeorm('migration:revert');
    expect(reverted.code).toBe(0);
    expect(reverted.out).toMatch(/has been reverted successfully/);

    await typeorm('migration:run');
    const all = await cli('migration-revert-all');
    expect(all.code).toBe(0);
    expect(all.out).toMatch(/reverted \d+ migration\(s\)/);
    expect(query<{ name: string }>("SELECT name FROM sqlite_master WHERE type='table' AND name='users'")).toHaveLength(
      0,
    );
    expect((await typeorm('migration:run')).code).toBe(0);
  });

  it('seeds the admin and the tester once: running it twice changes nothing', async () => {
    const first = await cli('seed');
    expect(first.code).toBe(0);
    expect(first.out).toContain('created  admin@lanterne-rouge.com (admin)');
    expect(first.out).toContain('created  tester@lanterne-rouge.com');
    const second = await cli('seed');
    expect(second.code).toBe(0);
    expect(second.out).toContain('exists   admin@lanterne-rouge.com');
    const users = query<{ email: string; is_admin: number }>('SELECT email, is_admin FROM users ORDER BY id');
    expect(users).toEqual([
      { email: 'admin@lanterne-rouge.com', is_admin: 1 },
      { email: 'tester@lanterne-rouge.com', is_admin: 0 },
    ]);
  });

  it('refuses to seed development passwords in production', async () => {
    const res = await cli('seed', [], {
      NODE_ENV: 'production',
      SECRET_KEY: 'a-production-secret-key-that-is-long-enough-1234',
      TOKEN_ENCRYPTION_KEY: 'ab'.repeat(32),
      DATABASE_URL: `sqlite:///${path.join(dir, 'prod.db')}`,
    });
    expect(res.code).not.toBe(0);
    expect(res.out).toContain('SEED_ADMIN_PASSWORD must be set');
  });

  it('creates users with a given, an environment or a generated password, and refuses duplicates', async () => {
    const given = await cli('user-create', [
      '--email',
      'Coach@Example.com',
      '--admin',
      '--password',
      'coach-password-1',
    ]);
    expect(given.code).toBe(0);
    expect(given.out).toMatch(/created user \d+ coach@example.com \(admin\)/);
    expect(given.out).not.toContain('coach-password-1');

    const generated = await cli('user-create', ['--email', 'gen@example.com']);
    expect(generated.code).toBe(0);
    expect(generated.out).toMatch(/generated password \(shown once\): \S{16,}/);

    const fromEnv = await cli('user-create', ['--email', 'env@example.com'], { USER_PASSWORD: 'env-password-1' });
    expect(fromEnv.out).not.toContain('generated password');

    const duplicate = await cli('user-create', ['--email', 'coach@example.com']);
    expect(duplicate.code).not.toBe(0);
    expect(duplicate.out).toContain('Email already registered');

    const bad = await cli('user-create', ['--email', 'not-an-email']);
    expect(bad.code).not.toBe(0);
  });

  it('prunes audit rows older than the given number of days and nothing newer', async () => {
    const db = new Database(path.join(dir, 'cli.db'));
    const insert = db.prepare('INSERT INTO audit_logs (action, status_code, created_at) VALUES (?, 200, ?)');
    insert.run('old', '2020-01-01 00:00:00.000');
    insert.run('new', new Date().toISOString().replace('T', ' ').replace('Z', ''));
    db.close();
    const res = await cli('audit-prune', ['--older-than-days', '90']);
    expect(res.code).toBe(0);
    expect(res.out).toMatch(/deleted 1 audit row\(s\)/);
    expect(query<{ action: string }>('SELECT action FROM audit_logs')).toEqual([{ action: 'new' }]);
    expect((await cli('audit-prune', ['--older-than-days', 'soon'])).code).not.toBe(0);
  });

  it('answers an unknown option with its name and the usage line, not a stack trace; --help prints the usage', async () => {
    const unknown = await cli('audit-prune', ['--days', '90']);
    expect(unknown.code).toBe(1);
    expect(unknown.out).toContain("Unknown option '--days'");
    expect(unknown.out).toContain('usage: npm run audit:prune -- --older-than-days N');
    expect(unknown.out).not.toMatch(/\n\s+at /);

    const help = await cli('user-create', ['--help']);
    expect(help).toEqual({ code: 0, out: 'usage: npm run user:create -- --email X [--admin] [--password P]\n' });
  });

  it('prints each migration it applies at info, and the counting around it only with LOG_LEVEL=debug', async () => {
    const fresh = { DATABASE_URL: `sqlite:///${path.join(dir, 'fresh.db')}` };
    const ran = await node([require.resolve('typeorm/cli.js'), 'migration:run', '-d', 'dist/ormconfig.js'], fresh);
    expect(ran.code).toBe(0);
    expect(ran.out).toMatch(/Migration InitialSchema\d+ has been executed successfully/);
    expect(ran.out).not.toContain('DEBUG');
    const reverted = await node([require.resolve('typeorm/cli.js'), 'migration:revert', '-d', 'dist/ormconfig.js'], {
      ...fresh,
      LOG_LEVEL: 'debug',
    });
    expect(reverted.code).toBe(0);
    expect(reverted.out).toMatch(/has been reverted successfully/);
    expect(reverted.out).toContain('DEBUG');
  });

  it('stops with a message naming the variable when the configuration is bad', async () => {
    const res = await cli('migration-show', [], { BCRYPT_ROUNDS: 'lots' });
    expect(res.code).not.toBe(0);
    expect(res.out).toContain('BCRYPT_ROUNDS');
  });
});
