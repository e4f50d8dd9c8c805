import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { missionBody } from '../helpers/missions';
import { uniqueEmail } from '../helpers/auth';
import { call, isMissingRoute, registerAndLogin, type Account } from './support/http';
import { type App, baseEnv, recordUnhandled, startApp } from './support/server';
import { Tally } from './support/tally';

/** One request the load sent, and what it is supposed to have left in the database if it got a 2xx. */
interface Sent {
  requestId: string;
  op: 'register' | 'login' | 'mission' | 'refresh';
  status?: number;
  /** register: the email; login/refresh: the access jti; mission: the mission id. */
  key?: string;
}

const CYCLES = 3;
const LOAD_MS = 2500;
const WORKERS = 8;

function jtiOf(token: string): string {
  return (JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as { jti: string }).jti;
}

/**
 * Crash: a mixed write load, then `kill -9`. After each crash the SQLite file must pass its integrity
 * check, and every request that was answered with a 2xx must be in the database with its audit row.
 */
describe('crash under write load (resilience)', () => {
  const tally = new Tally('crash');
  let dir: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lr-res-crash-'));
  });
  afterAll(() => {
    tally.print();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every acknowledged write and its audit row across kill -9', async () => {
    const dbFile = path.join(dir, 'crash.db');
    const env = baseEnv({ DATABASE_URL: `sqlite:///${dbFile}`, LOG_DIR: path.join(dir, 'logs') });
    const sent: Sent[] = [];
    let missionsAvailable = true;
    let port: number | undefined;

    for (let cycle = 0; cycle < CYCLES; cycle++) {
      const app: App = await startApp(env, { port });
      port = app.port;
      const accounts: Account[] = [];
      for (let i = 0; i < 3; i++) {
        accounts.push(await registerAndLogin(app.url, `crash${cycle}`));
      }
      if (cycle === 0) {
        missionsAvailable = !isMissingRoute(
          await call(app.url, '/missions', { body: missionBody(), token: accounts[0].access }),
        );
        if (!missionsAvailable) {
          tally.note('writes', 'POST /missions is not in this build: the load writes users and sessions only');
        }
      }

      let stop = false;
      let n = 0;
      const worker = async (w: number): Promise<void> => {
        while (!stop) {
          n += 1;
          const roll = n % 4;
          const account = accounts[(w + n) % accounts.length];
          const entry: Sent = { requestId: `crash-${cycle}-${w}-${n}`, op: 'register' };
          try {
            if (roll === 0 || (roll === 2 && !missionsAvailable)) {
              entry.op = 'register';
              entry.key = uniqueEmail('crashload');
              sent.push(entry);
              const r = await call(app.url, '/auth/register', {
                body: { email: entry.key, password: 'password-123' },
                requestId: entry.requestId,
                timeoutMs: 5000,
              });
              entry.status = r.status;
            } else if (roll === 1) {
              entry.op = 'login';
              sent.push(entry);
              const r = await call(app.url, '/auth/login', {
                body: { email: account.email, password: account.password },
                requestId: entry.requestId,
                timeoutMs: 5000,
              });
              entry.status = r.status;
              entry.key = r.status === 200 ? jtiOf(r.json.access_token as string) : undefined;
            } else if (roll === 2) {
              entry.op = 'mission';
              sent.push(entry);
              const r = await call(app.url, '/missions', {
                body: missionBody(),
                token: account.access,
                requestId: entry.requestId,
                timeoutMs: 5000,
              });
              entry.status = r.status;
              entry.key = r.status === 201 ? (r.json.id as string) : undefined;
            } else {
              entry.op = 'refresh';
              sent.push(entry);
              const r = await call(app.url, '/auth/refresh', {
                body: { refresh_token: account.refresh },
                requestId: entry.requestId,
                timeoutMs: 5000,
              });
              entry.status = r.status;
              if (r.status === 200) {
                entry.key = jtiOf(r.json.access_token as string);
                account.refresh = r.json.refresh_token as string;
                account.access = r.json.access_token as string;
              }
            }
          } catch {
            // The server was killed mid-request: no answer, so nothing is promised.
          }
        }
      };
      const load = Array.from({ length: WORKERS }, (_, w) => worker(w));
      await new Promise((r) => setTimeout(r, LOAD_MS));
      await app.stop('SIGKILL');
      tally.tried('faults (kill -9)');
      stop = true;
      await Promise.all(load);
      recordUnhandled(tally, 'server log', app);

      // Opening the file read-write replays the WAL, as the restarted server would.
      const db = new Database(dbFile);
      try {
        const integrity = db.pragma('integrity_check', { simple: true });
        tally.tried('integrity checks');
        if (integrity !== 'ok') {
          tally.misbehaved('integrity checks', `cycle ${cycle}: ${String(integrity)}`);
        }
        const fkProblems = db.pragma('foreign_key_check') as unknown[];
        if (fkProblems.length > 0) {
          tally.misbehaved('integrity checks', `cycle ${cycle}: ${fkProblems.length} foreign key violations`);
        }
        const audit = db.prepare('SELECT status_code FROM audit_logs WHERE request_id = ?').pluck();
        const user = db.prepare('SELECT count(*) FROM users WHERE email = ?').pluck();
        const session = db.prepare('SELECT count(*) FROM sessions WHERE access_token_jti = ?').pluck();
        const mission = missionsAvailable
          ? db.prepare('SELECT count(*) FROM missions WHERE id = ?').pluck()
          : undefined;
        for (const s of sent.filter((x) => x.requestId.startsWith(`crash-${cycle}-`))) {
          tally.tried('requests');
          if (s.status === undefined || s.status < 200 || s.status >= 300) {
            continue;
          }
          tally.tried('acknowledged writes');
          const rows = audit.all(s.requestId) as number[];
          if (rows.length !== 1 || rows[0] !== s.status) {
            tally.misbehaved(
              'acknowledged writes',
              `${s.op} ${s.requestId} (${s.status}): audit rows ${JSON.stringify(rows)}`,
            );
          }
          const present =
            s.op === 'register' ? user.get(s.key) : s.op === 'mission' ? mission?.get(s.key) : session.get(s.key);
          if (Number(present) !== 1) {
            tally.misbehaved(
              'acknowledged writes',
              `${s.op} ${s.requestId} (${s.status}) is missing from the database`,
            );
          }
        }
      } finally {
        db.close();
      }
    }

    // The last crash is followed by a clean restart on the same file: the data is usable.
    const app = await startApp(env, { port });
    try {
      const registered = sent.filter((s) => s.op === 'register' && s.status === 201);
      tally.tried('after restart');
      const login = await call(app.url, '/auth/login', {
        body: { email: registered[registered.length - 1].key, password: 'password-123' },
      });
      if (login.status !== 200) {
        tally.misbehaved('after restart', `a user registered before the crash cannot log in: ${login.status}`);
      }
      const ready = await call(app.url, '/readyz');
      if (ready.status !== 200) {
        tally.misbehaved('after restart', `/readyz answered ${ready.status}`);
      }
    } finally {
      await app.stop();
    }

    expect(sent.filter((s) => s.status !== undefined && s.status >= 200 && s.status < 300).length).toBeGreaterThan(50);
    expect(tally.problems()).toEqual([]);
  });
});
