import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { uniqueEmail } from '../helpers/auth';
import { call, errorShapeProblem, registerAndLogin, type Reply } from './support/http';
import { startTcpProxy } from '../helpers/tcp-proxy';
import { type App, baseEnv, recordUnhandled, startApp } from './support/server';
import { scratchDatabaseOrSkip } from './support/postgres';
import { Tally } from './support/tally';

/** A write refused because the database is unavailable must still be answered, and soon. */
const WRITE_BOUND_MS = 15_000;

/** Polls until `check` holds or the time is up; returns whether it held. */
async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) {
      return true;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

async function register(app: App, email = uniqueEmail('dbfault')): Promise<Reply> {
  return call(app.url, '/auth/register', {
    body: { email, password: 'password-123' },
    timeoutMs: WRITE_BOUND_MS + 5000,
  });
}

/** A write during an outage: a generic 500 or 503 in the contract's shape, within the bound. */
function checkRefusedWrite(tally: Tally, category: string, reply: Reply): void {
  tally.tried(category);
  if (reply.status !== 500 && reply.status !== 503) {
    tally.misbehaved(category, `a write during the outage answered ${reply.status}: ${reply.text.slice(0, 160)}`);
  }
  const shape = errorShapeProblem(reply);
  if (shape) {
    tally.misbehaved(category, shape);
  }
  if (reply.ms > WRITE_BOUND_MS) {
    tally.misbehaved(category, `the refused write took ${Math.round(reply.ms)} ms`);
  }
}

/** SQLite's integrity_check on `file`: 'ok' when the file is sound. */
function integrityOf(file: string, options?: Database.Options): unknown {
  const db = new Database(file, options);
  try {
    return db.pragma('integrity_check', { simple: true });
  } finally {
    db.close();
  }
}

function checkLog(tally: Tally, category: string, app: App): void {
  recordUnhandled(tally, category, app, /Unhandled error on/);
  if (app.exited()) {
    tally.misbehaved(category, 'the server process exited');
  }
}

/**
 * Database faults: the database goes away under a running server. /readyz says so (503), writes get a
 * generic 500/503, and everything comes back when the database does, without a restart.
 */
describe('database faults (resilience)', () => {
  const tally = new Tally('db-faults');
  let dir: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lr-res-db-'));
  });
  afterAll(() => {
    tally.print();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('SQLite file moved away: /readyz 503 until it is back, no write lost', async () => {
    const file = path.join(dir, 'moved.db');
    const app = await startApp(baseEnv({ DATABASE_URL: `sqlite:///${file}`, LOG_DIR: path.join(dir, 'logs') }));
    const category = 'sqlite moved away';
    try {
      await registerAndLogin(app.url, 'moved');
      tally.tried(category);
      const aside = `${file}.aside`;
      fs.renameSync(file, aside);
      const ready = await call(app.url, '/readyz');
      if (ready.status !== 503) {
        tally.misbehaved(category, `/readyz answered ${ready.status} with the database file gone`);
      }
      const duringEmail = uniqueEmail('moved-during');
      const during = await register(app, duringEmail);
      tally.note(category, `a write while the file was away answered ${during.status}`);
      if (during.status >= 500) {
        checkRefusedWrite(tally, category, during);
      }
      fs.renameSync(aside, file);
      if (!(await until(async () => (await call(app.url, '/readyz')).status === 200, 10_000))) {
        tally.misbehaved(category, '/readyz did not come back to 200 once the file was restored');
      }
      const after = await register(app);
      if (after.status !== 201) {
        tally.misbehaved(category, `a write after the restore answered ${after.status}`);
      }
      if (during.status === 201) {
        const login = await call(app.url, '/auth/login', { body: { email: duringEmail, password: 'password-123' } });
        if (login.status !== 200) {
          tally.misbehaved(
            category,
            `the account acknowledged while the file was away is lost (login ${login.status})`,
          );
        }
      }
      if (integrityOf(file, { readonly: true }) !== 'ok') {
        tally.misbehaved(category, 'integrity check failed');
      }
      checkLog(tally, category, app);
    } finally {
      await app.stop();
    }
    expect(tally.problems(category)).toEqual([]);
  });

  it('SQLite disk full: writes get a generic 500/503, reads and /healthz go on, writes resume when space returns', async () => {
    const category = 'sqlite disk full';
    if (spawnSync('unshare', ['-m', 'true']).status !== 0) {
      tally.note(category, 'skipped: this machine cannot create a mount namespace (unshare -m) for a small tmpfs');
      return;
    }
    // The server runs in its own mount namespace with its database on a 16 MB tmpfs; the test reaches
    // that tmpfs through /proc/<pid>/root and fills it.
    const mountDir = path.join(dir, 'small-disk');
    fs.mkdirSync(mountDir);
    const wrap = [
      'unshare',
      '-m',
      '--propagation',
      'private',
      'sh',
      '-c',
      'mount -t tmpfs -o size=16m tmpfs "$0" && exec "$@"',
      mountDir,
    ];
    const app = await startApp(
      baseEnv({ DATABASE_URL: `sqlite:///${mountDir}/full.db`, LOG_DIR: path.join(dir, 'logs-full') }),
      { wrap },
    );
    const inside = `/proc/${app.pid}/root${mountDir}`;
    const filler = path.join(inside, 'filler');
    try {
      const user = await registerAndLogin(app.url, 'full');
      tally.tried(category);
      const chunk = Buffer.alloc(1024 * 1024, 1);
      const fd = fs.openSync(filler, 'w');
      try {
        for (let i = 0; i < 64; i++) {
          fs.writeSync(fd, chunk);
        }
        tally.misbehaved(category, 'could not fill the 16 MB tmpfs (is it mounted?)');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') {
          throw error;
        }
        // Fill the last partial megabyte too.
        for (let size = 65536; size >= 512; size /= 2) {
          try {
            for (;;) {
              fs.writeSync(fd, chunk.subarray(0, size));
            }
          } catch {
            // next smaller size
          }
        }
      } finally {
        fs.closeSync(fd);
      }
      for (let i = 0; i < 3; i++) {
        checkRefusedWrite(tally, category, await register(app));
      }
      const health = await call(app.url, '/healthz');
      if (health.status !== 200) {
        tally.misbehaved(category, `/healthz answered ${health.status} with the disk full`);
      }
      const ready = await call(app.url, '/readyz');
      tally.note(category, `/readyz with the disk full: ${ready.status} (the database still answers reads)`);
      fs.rmSync(filler);
      if (!(await until(async () => (await register(app)).status === 201, 10_000))) {
        tally.misbehaved(category, 'writes did not resume once space was freed');
      }
      const me = await call(app.url, '/users/me', { token: user.access });
      if (me.status !== 200) {
        tally.misbehaved(category, `GET /users/me after recovery answered ${me.status}`);
      }
      // SQLite resolves /proc/<pid>/root to "/", so check a copy taken through the kernel's link.
      const copy = path.join(dir, 'full-copy.db');
      fs.copyFileSync(path.join(inside, 'full.db'), copy);
      if (fs.existsSync(path.join(inside, 'full.db-wal'))) {
        fs.copyFileSync(path.join(inside, 'full.db-wal'), `${copy}-wal`);
      }
      if (integrityOf(copy) !== 'ok') {
        tally.misbehaved(category, 'integrity check failed after the disk-full episode');
      }
      checkLog(tally, category, app);
    } finally {
      await app.stop();
    }
    expect(tally.problems(category)).toEqual([]);
  });

  it('SQLite locked by another process: writes get a generic 500/503 after the busy timeout, then resume', async () => {
    const category = 'sqlite locked';
    const file = path.join(dir, 'locked.db');
    const app = await startApp(baseEnv({ DATABASE_URL: `sqlite:///${file}`, LOG_DIR: path.join(dir, 'logs-locked') }));
    try {
      await registerAndLogin(app.url, 'locked');
      const other = new Database(file);
      other.pragma('busy_timeout = 0');
      other.exec('BEGIN IMMEDIATE');
      try {
        const write = register(app);
        await new Promise((r) => setTimeout(r, 300));
        // better-sqlite3 waits for the lock synchronously: the whole event loop stalls meanwhile, and a
        // reused keep-alive connection may be reset when it wakes. Recorded, not asserted.
        const health = await call(app.url, '/healthz', { timeoutMs: WRITE_BOUND_MS + 5000 }).then(
          (r) => `${r.status} in ${Math.round(r.ms)} ms`,
          (error: Error) => `no answer (${String((error.cause as Error | undefined)?.message ?? error.message)})`,
        );
        tally.note(category, `/healthz while a write waited on the lock: ${health}`);
        checkRefusedWrite(tally, category, await write);
      } finally {
        other.exec('ROLLBACK');
        other.close();
      }
      const after = await register(app);
      if (after.status !== 201) {
        tally.misbehaved(category, `a write after the lock was released answered ${after.status}`);
      }
      checkLog(tally, category, app);
    } finally {
      await app.stop();
    }
    expect(tally.problems(category)).toEqual([]);
  });

  it('PostgreSQL unreachable: /readyz 503 and generic write errors, then recovery without a restart', async () => {
    const category = 'postgres down';
    const scratch = await scratchDatabaseOrSkip(tally, category);
    if (!scratch) {
      return;
    }
    const url = new URL(scratch.url);
    const proxy = await startTcpProxy(url.hostname, Number(url.port || 5432));
    url.host = `127.0.0.1:${proxy.port}`;
    let app: App | undefined;
    try {
      app = await startApp(baseEnv({ DATABASE_URL: url.toString(), LOG_DIR: path.join(dir, 'logs-pg') }));
      const user = await registerAndLogin(app.url, 'pg');
      const pid = app.pid;
      tally.tried(category);
      await proxy.down();
      const ready = await call(app.url, '/readyz', { timeoutMs: 15_000 });
      if (ready.status !== 503) {
        tally.misbehaved(category, `/readyz answered ${ready.status} with PostgreSQL unreachable`);
      }
      if (ready.ms > 10_000) {
        tally.misbehaved(category, `/readyz took ${Math.round(ready.ms)} ms to say so`);
      }
      checkRefusedWrite(tally, category, await register(app));
      const health = await call(app.url, '/healthz');
      if (health.status !== 200) {
        tally.misbehaved(category, `/healthz answered ${health.status} during the outage`);
      }
      await proxy.up();
      if (!(await until(async () => (await call(app!.url, '/readyz')).status === 200, 20_000))) {
        tally.misbehaved(category, '/readyz did not return to 200 after PostgreSQL came back');
      }
      if (!(await until(async () => (await register(app!)).status === 201, 20_000))) {
        tally.misbehaved(category, 'writes did not resume after PostgreSQL came back');
      }
      const me = await call(app.url, '/users/me', { token: user.access });
      if (me.status !== 200) {
        tally.misbehaved(category, `GET /users/me after recovery answered ${me.status}`);
      }
      if (app.pid !== pid || app.exited()) {
        tally.misbehaved(category, 'the server did not survive the outage');
      }
      checkLog(tally, category, app);
    } finally {
      await app?.stop();
      await proxy.close();
      await scratch.drop().catch(() => undefined);
    }
    expect(tally.problems(category)).toEqual([]);
  });
});
