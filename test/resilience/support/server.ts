import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type FakeOpenAi, startFakeOpenAi } from '../../helpers/fake-openai.server';
import type { ScratchDatabase } from '../../helpers/scratch-database';
import { type ServerOptions, type ServerProcess, startServer } from '../../helpers/server-process';
import type { Tally } from './tally';

export type App = ServerProcess;

/** What every resilience server runs with: production mode, fast bcrypt, no limits, no scheduler. */
export function baseEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'production',
    SECRET_KEY: randomBytes(36).toString('base64url'),
    TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    BCRYPT_ROUNDS: '4',
    RATE_LIMIT_ENABLED: 'false',
    ENABLE_MISSION_SCHEDULER: 'false',
    METRICS_ENABLED: 'true',
    OPENAI_API_KEY: '',
    ...overrides,
  };
}

/**
 * Starts the compiled server with `env` and nothing else from this process's environment (PATH and HOME
 * aside), and waits for /healthz.
 */
export function startApp(env: Record<string, string>, options: Omit<ServerOptions, 'inheritEnv'> = {}): Promise<App> {
  return startServer(env, { ...options, inheritEnv: false });
}

/** One suite's server: a scratch folder, a fresh database (by default a SQLite file in it), and the fake LLM upstream. */
export interface SuiteServer {
  app: App;
  fake: FakeOpenAi;
  /** The SQLite file the server uses, unless it was given a database of its own (see startSuiteServer). */
  dbFile: string;
  /** The server's whole environment. */
  env: Record<string, string>;
  /** Stops the server and the fake, removes the scratch folder, and drops the server's own database if it had one. */
  close(): Promise<void>;
}

/**
 * Starts a server on a fresh SQLite file `<name>.db` in a new scratch folder (`lr-res-<name>-...`, logs
 * in it too) whose LLM is a fresh fake upstream; `env` goes on top of baseEnv. Given `database`, the
 * server uses that instead of the SQLite file, and close() (or a failed start) drops it.
 */
export async function startSuiteServer(
  name: string,
  env: Record<string, string>,
  database?: ScratchDatabase,
): Promise<SuiteServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `lr-res-${name}-`));
  const dbFile = path.join(dir, `${name}.db`);
  const fake = await startFakeOpenAi();
  const cleanUp = async (): Promise<void> => {
    await fake.close();
    fs.rmSync(dir, { recursive: true, force: true });
    await database?.drop();
  };
  try {
    const serverEnv = baseEnv({
      DATABASE_URL: database?.url ?? `sqlite:///${dbFile}`,
      LOG_DIR: path.join(dir, 'logs'),
      OPENAI_BASE_URL: fake.url,
      ...env,
    });
    const app = await startApp(serverEnv);
    return {
      app,
      fake,
      dbFile,
      env: serverEnv,
      close: async () => {
        await app.stop();
        await cleanUp();
      },
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}

/** A log line that means a promise or exception escaped every handler. */
const UNHANDLED = /unhandledRejection|UnhandledPromiseRejection|uncaughtException|Unhandled error/i;

/**
 * Records under `category` each line of the server's log that shows an error escaping every handler,
 * except those `ignore` matches; a line already recorded there (by an earlier call) is not recorded again.
 */
export function recordUnhandled(tally: Tally, category: string, app: App, ignore?: RegExp): void {
  const lines = app
    .output()
    .split('\n')
    .filter((line) => UNHANDLED.test(line) && !ignore?.test(line));
  if (lines.length === 0) {
    return;
  }
  const recorded = new Set(tally.problems(category));
  for (const line of lines) {
    const note = line.slice(0, 200);
    if (!recorded.has(note)) {
      tally.misbehaved(category, note);
      recorded.add(note);
    }
  }
}
