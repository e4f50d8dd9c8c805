import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

const twoUp = path.resolve(__dirname, '../..');
/** The project root, from test/helpers/ or from its compiled copy in dist/test/helpers/ (which the bench runs). */
export const PROJECT_ROOT = path.basename(twoUp) === 'dist' ? path.dirname(twoUp) : twoUp;

const MAIN = path.join(PROJECT_ROOT, 'dist/src/main.js');

export interface ServerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ServerProcess {
  url: string;
  port: number;
  pid: number;
  child: ChildProcess;
  /** Everything the process printed so far (read back from the log file when it writes to one). */
  output(): string;
  /** What it printed on stdout alone (the same as output() when it writes to a log file). */
  stdout(): string;
  exited(): boolean;
  /**
   * Sends `signal` (SIGKILL after 10 s if the process is still running) and resolves with how it ended;
   * a clean SIGTERM shutdown re-raises the signal.
   */
  stop(signal?: NodeJS.Signals): Promise<ServerExit>;
}

export interface ServerOptions {
  /** The port to listen on; a free one by default. */
  port?: number;
  /** Whether the server gets this process's environment under `env` (the default) or only PATH and HOME. */
  inheritEnv?: boolean;
  /** A command that runs node (`taskset -c 0,1`, `unshare ...`); it must `exec` node so the pid stays the server's. */
  wrap?: string[];
  /** Node options before the entry point (`--expose-gc`, `--require hook.js`). */
  nodeArgs?: string[];
  /** Append the output to this file, written by the server itself, instead of piping it into this process. */
  logFile?: string;
  /** The compiled entry point; `dist/src/main.js` (the API) by default (the bench also starts its floor app). */
  entry?: string;
  /** How long to wait for /healthz; 30 s by default. */
  timeoutMs?: number;
}

/** A free loopback port. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Spawns the compiled server entry point with exactly `env`. */
function spawnMain(
  env: NodeJS.ProcessEnv,
  options: ServerOptions,
): { child: ChildProcess; output: () => string; stdout: () => string } {
  const [cmd, ...args] = [
    ...(options.wrap ?? []),
    process.execPath,
    ...(options.nodeArgs ?? []),
    options.entry ?? MAIN,
  ];
  const { logFile } = options;
  if (logFile) {
    const log = fs.openSync(logFile, 'a');
    try {
      const child = spawn(cmd, args, { cwd: PROJECT_ROOT, env, stdio: ['ignore', log, log] });
      const output = (): string => fs.readFileSync(logFile, 'utf8');
      return { child, output, stdout: output };
    } finally {
      fs.closeSync(log);
    }
  }
  const child = spawn(cmd, args, { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let stdout = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
    stdout += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  return { child, output: () => out, stdout: () => stdout };
}

/**
 * Starts the compiled server (`node dist/src/main.js`, what `npm start` runs) on 127.0.0.1 and waits for
 * /healthz; throws with its output if it exits or does not answer in time.
 */
export async function startServer(env: NodeJS.ProcessEnv, options: ServerOptions = {}): Promise<ServerProcess> {
  const port = options.port ?? (await freePort());
  const inherited =
    options.inheritEnv === false
      ? { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' }
      : process.env;
  const { child, output, stdout } = spawnMain({ ...inherited, HOST: '127.0.0.1', ...env, PORT: String(port) }, options);
  const exit = new Promise<ServerExit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const exited = (): boolean => child.exitCode !== null || child.signalCode !== null;
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (;;) {
    if (exited()) {
      throw new Error(`server exited (${child.exitCode ?? child.signalCode}) before answering /healthz:\n${output()}`);
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not answer /healthz in time:\n${output()}`);
    }
    try {
      if ((await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) })).ok) {
        break;
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    port,
    pid: child.pid as number,
    child,
    output,
    stdout,
    exited,
    stop: async (signal: NodeJS.Signals = 'SIGTERM') => {
      if (exited()) {
        return exit;
      }
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const ended = await exit;
      clearTimeout(timer);
      return ended;
    },
  };
}

/** Runs the server entry point expecting it to refuse to start; resolves with its exit code and output. */
export async function startExpectingFailure(env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  const { child, output } = spawnMain({ ...process.env, ...env }, {});
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, output: output() };
}
