import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';
import { createScratchDatabase } from '../test/helpers/scratch-database';
import { PROJECT_ROOT, type ServerProcess, startServer } from '../test/helpers/server-process';

/** A database the bench owns for one run: created fresh, counted afterwards, dropped at the end. */
export interface BenchDatabase {
  kind: 'sqlite' | 'postgres';
  url: string;
  /** One scalar from SQL (`SELECT count(*) ...`). */
  scalar(sql: string): Promise<number>;
  drop(): Promise<void>;
}

export async function createDatabase(
  kind: 'sqlite' | 'postgres',
  workDir: string,
  pgAdminUrl: string,
): Promise<BenchDatabase> {
  if (kind === 'sqlite') {
    const file = path.join(workDir, 'bench.db');
    return {
      kind,
      url: `sqlite:///${file}`,
      scalar: (sql) => {
        const db = new Database(file, { readonly: true, fileMustExist: true });
        try {
          return Promise.resolve(Number(db.prepare(sql).pluck().get()));
        } finally {
          db.close();
        }
      },
      drop: () => Promise.resolve(),
    };
  }
  const scratch = await createScratchDatabase(pgAdminUrl, 'lr_bench');
  return {
    kind,
    url: scratch.url,
    scalar: async (sql) => {
      const client = new Client({ connectionString: scratch.url });
      await client.connect();
      try {
        const res = await client.query<Record<string, unknown>>(sql);
        return Number(Object.values(res.rows[0] ?? {})[0]);
      } finally {
        await client.end();
      }
    },
    drop: () => scratch.drop(),
  };
}

/** Which cores the server and the load generator get: the last core drives, the others serve. */
export interface CorePlan {
  taskset: boolean;
  serverCores: number[];
  driverCores: number[];
}

export function planCores(cores: number, pin = true): CorePlan {
  const available = pin && spawnSync('taskset', ['--version'], { stdio: 'ignore' }).status === 0;
  if (!available || cores < 2) {
    const all = Array.from({ length: cores }, (_, i) => i);
    return { taskset: false, serverCores: all, driverCores: all };
  }
  return {
    taskset: true,
    serverCores: Array.from({ length: cores - 1 }, (_, i) => i),
    driverCores: [cores - 1],
  };
}

/** Moves this (load generator) process onto its cores, every thread included. */
export function pinSelf(plan: CorePlan): void {
  if (plan.taskset) {
    spawnSync('taskset', ['-a', '-p', '-c', plan.driverCores.join(','), String(process.pid)], { stdio: 'ignore' });
  }
}

export interface AppProcess extends ServerProcess {
  logFile: string;
  /** Resident set size of the server process, in bytes (from /proc). */
  rss(): number;
  /** CPU time (user + system) the server process has used so far, in milliseconds (from /proc). */
  cpuMs(): number;
  /** The same for its main thread alone (the event loop), without worker threads and libuv's pool. */
  mainThreadCpuMs(): number;
  /** Asks the server for a full garbage collection (bench/gc-on-signal.ts) and gives it a moment. */
  collectGarbage(): Promise<void>;
}

export function generatedSecret(): string {
  return randomBytes(48).toString('base64url');
}

/** The command prefix that runs a process on the server's cores (none without taskset). */
function onServerCores(plan: CorePlan): string[] {
  return plan.taskset ? ['taskset', '-c', plan.serverCores.join(',')] : [];
}

/**
 * Starts `node dist/src/main.js` (what `npm start` runs) pinned to the server cores, logs to a file;
 * `entry` starts another compiled app the same way (the floor, `dist/bench/floor/main.js`).
 */
export async function startApp(
  env: Record<string, string>,
  plan: CorePlan,
  logFile: string,
  entry?: string,
): Promise<AppProcess> {
  const server = await startServer(
    { ...(process.env.UV_THREADPOOL_SIZE ? { UV_THREADPOOL_SIZE: process.env.UV_THREADPOOL_SIZE } : {}), ...env },
    {
      inheritEnv: false,
      wrap: onServerCores(plan),
      nodeArgs: [
        '--expose-gc',
        '--require',
        path.join(PROJECT_ROOT, 'dist/bench/gc-on-signal.js'),
        // A CPU profile of the server (and of its worker threads), written when it stops.
        ...(process.env.BENCH_CPU_PROF_DIR ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF_DIR] : []),
      ],
      logFile,
      entry,
    },
  );
  const { pid } = server;
  return {
    ...server,
    logFile,
    rss: () => {
      const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
      const kb = /VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1];
      return Number(kb) * 1024;
    },
    collectGarbage: async () => {
      process.kill(pid, 'SIGWINCH');
      await new Promise((r) => setTimeout(r, 1000));
    },
    cpuMs: () => cpuMsOf(`/proc/${pid}/stat`),
    // The main thread's id is the process id.
    mainThreadCpuMs: () => cpuMsOf(`/proc/${pid}/task/${pid}/stat`),
  };
}

/** Fields after the command name: state is [0], utime [11], stime [12], in clock ticks (100/s on Linux). */
function cpuMsOf(statFile: string): number {
  const fields = fs.readFileSync(statFile, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/**
 * Times one bcrypt check at `cost` on the server's cores (a child process pinned like the server, while
 * the server idles): the minimum of 7 is the work itself, the median shows the machine's noise.
 */
export function measureHashOnServerCores(
  plan: CorePlan,
  cost: number,
): { min: number; median: number; samples: number[] } {
  const script = `
    const { hash, verify } = require('@node-rs/bcrypt');
    (async () => {
      const h = await hash('bench-password-123', ${cost});
      await verify('bench-password-123', h);
      const samples = [];
      for (let i = 0; i < 7; i++) {
        const t = performance.now();
        await verify('bench-password-123', h);
        samples.push(Math.round((performance.now() - t) * 10) / 10);
      }
      console.log(JSON.stringify(samples));
    })();`;
  const [cmd, ...args] = [...onServerCores(plan), process.execPath, '-e', script];
  const out = spawnSync(cmd, args, { cwd: PROJECT_ROOT, encoding: 'utf8' });
  if (out.status !== 0) {
    throw new Error(`measuring bcrypt failed: ${out.stderr}`);
  }
  const samples = JSON.parse(out.stdout) as number[];
  const sorted = [...samples].sort((a, b) => a - b);
  return { min: sorted[0], median: sorted[3], samples };
}

export function tail(file: string, lines = 30): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Sums a Prometheus counter's samples whose labels pass `keep`. */
export function sumCounter(
  metricsText: string,
  name: string,
  keep: (labels: Record<string, string>) => boolean,
): number {
  let total = 0;
  for (const line of metricsText.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) {
      continue;
    }
    const labels: Record<string, string> = {};
    for (const m of line.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) {
      labels[m[1]] = m[2];
    }
    if (keep(labels)) {
      total += Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return total;
}
