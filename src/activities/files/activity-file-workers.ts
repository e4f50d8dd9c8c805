import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ActivityFileError, type ActivitySamples, type ParsedActivity } from './activity-file';

/** A file to recognise and decode, or samples from elsewhere to check and summarise. */
export type WorkerTask = { id: number } & ({ file: Uint8Array; limitBytes: number } | { samples: ActivitySamples });
export type WorkerReply =
  { id: number; ok: true; activity: ParsedActivity } | { id: number; ok: false; status: 413 | 422; message: string };

/** A file that takes longer than this to read is refused and its worker replaced. */
export const TASK_TIMEOUT_MS = 20_000;
/**
 * A worker left without a file this long stops, and gives back its memory (about 20 MB of resident memory
 * each: a V8 isolate and the decoders' code); the next file boots a fresh one first (tens of milliseconds).
 */
export const IDLE_TIMEOUT_MS = 60_000;
/** Heap of one worker: a file that needs more (a hostile one) kills its worker, not the server. */
const RESOURCE_LIMITS = { maxOldGenerationSizeMb: 1024, maxYoungGenerationSizeMb: 64 };

interface Job {
  task: WorkerTask;
  resolve: (activity: ParsedActivity) => void;
  reject: (error: ActivityFileError) => void;
}

/**
 * A small pool of worker threads for activity files (node's worker_threads): parsing a 4-hour ride
 * takes tens of milliseconds of CPU that must not run on the event loop. Each worker reads one file at
 * a time; a worker that dies (out of memory, a crash) or overruns TASK_TIMEOUT_MS fails only its own
 * job, with an ActivityFileError, and the next job gets a fresh one. Workers start with the first file and
 * stop after IDLE_TIMEOUT_MS without one, so an instance that reads no files keeps no threads; idle workers
 * are unref'd, so they never keep the process alive.
 */
export class ActivityFileWorkers {
  private readonly idle: Worker[] = [];
  /** The timer that stops each idle worker. */
  private readonly idleTimers = new Map<Worker, NodeJS.Timeout>();
  private readonly queue: Job[] = [];
  private running = 0;
  private nextId = 1;

  constructor(
    private readonly size = Math.max(1, Math.min(4, availableParallelism() - 1)),
    private readonly idleTimeoutMs = IDLE_TIMEOUT_MS,
  ) {}

  /** Worker threads alive now: reading a file, or idle until their timeout. */
  get threads(): number {
    return this.idle.length + this.running;
  }

  run(file: Buffer, limitBytes: number): Promise<ParsedActivity> {
    // A copy the exact size of the file, so only it crosses to the worker (a Buffer may view a larger pool).
    return this.enqueue({ id: this.nextId++, file: new Uint8Array(file), limitBytes });
  }

  /** Samples recorded elsewhere, checked and summarised off the event loop like a file's. */
  runSamples(samples: ActivitySamples): Promise<ParsedActivity> {
    return this.enqueue({ id: this.nextId++, samples });
  }

  private enqueue(task: WorkerTask): Promise<ParsedActivity> {
    return new Promise((resolve, reject) => {
      this.queue.push({ task, resolve, reject });
      this.drain();
    });
  }

  async close(): Promise<void> {
    const workers = this.idle.splice(0);
    workers.forEach((worker) => this.clearIdleTimer(worker));
    await Promise.all(workers.map((worker) => worker.terminate()));
  }

  /** An idle worker waits for the next file for `idleTimeoutMs`, then stops. */
  private park(worker: Worker): void {
    worker.unref();
    this.idle.push(worker);
    const timer = setTimeout(() => {
      this.idleTimers.delete(worker);
      const index = this.idle.indexOf(worker);
      if (index >= 0) {
        this.idle.splice(index, 1);
        void worker.terminate();
      }
    }, this.idleTimeoutMs);
    timer.unref();
    this.idleTimers.set(worker, timer);
  }

  private clearIdleTimer(worker: Worker): void {
    clearTimeout(this.idleTimers.get(worker));
    this.idleTimers.delete(worker);
  }

  private drain(): void {
    while (this.queue.length > 0 && (this.idle.length > 0 || this.running < this.size)) {
      const job = this.queue.shift() as Job;
      const reused = this.idle.pop();
      if (reused) {
        this.clearIdleTimer(reused);
      }
      const worker = reused ?? spawnWorker();
      this.running++;
      this.start(worker, job);
    }
  }

  private start(worker: Worker, job: Job): void {
    worker.ref();
    let settled = false;
    const onMessage = (reply: WorkerReply): void => {
      if (settled || reply.id !== job.task.id) {
        return;
      }
      finish(true);
      if (reply.ok) {
        job.resolve(reply.activity);
      } else {
        job.reject(new ActivityFileError(reply.status, reply.message));
      }
    };
    const onDeath = (error?: Error): void => {
      if (settled) {
        return;
      }
      finish(false);
      const outOfMemory = (error as { code?: string } | undefined)?.code === 'ERR_WORKER_OUT_OF_MEMORY';
      job.reject(
        outOfMemory
          ? new ActivityFileError(413, 'The file needs more memory to read than a file may use')
          : new ActivityFileError(422, 'The file could not be read: its reader stopped on it'),
      );
    };
    const onExit = (): void => onDeath();
    const timer = setTimeout(() => {
      finish(false);
      job.reject(new ActivityFileError(422, `The file took longer than ${TASK_TIMEOUT_MS / 1000} s to read`));
    }, TASK_TIMEOUT_MS);
    // Only our own listeners come off: removeAllListeners() would also drop the ones Worker keeps to
    // ref its message port, and the next reply would never arrive.
    const finish = (reuse: boolean): void => {
      settled = true;
      clearTimeout(timer);
      worker.off('message', onMessage).off('error', onDeath).off('exit', onExit);
      this.running--;
      if (reuse) {
        this.park(worker);
      } else {
        void worker.terminate();
      }
      this.drain();
    };
    worker.on('message', onMessage).on('error', onDeath).on('exit', onExit);
    worker.postMessage(job.task, 'file' in job.task ? [job.task.file.buffer as ArrayBuffer] : []);
  }
}

/**
 * Compiled (`dist/`), the worker is the .js file beside this one. From TypeScript sources (Jest with
 * swc, which cannot reach into a worker thread), a small bootstrap compiles the .ts files with
 * @swc/core (a dev dependency) as the worker requires them.
 */
function spawnWorker(): Worker {
  const compiled = join(__dirname, 'activity-file.worker.js');
  const options = { resourceLimits: RESOURCE_LIMITS };
  if (existsSync(compiled)) {
    return new Worker(compiled, options);
  }
  const entry = join(__dirname, 'activity-file.worker.ts');
  return new Worker(SOURCE_BOOTSTRAP, { ...options, eval: true, workerData: { entry } });
}

const SOURCE_BOOTSTRAP = `
const { createRequire } = require('node:module');
const { readFileSync } = require('node:fs');
const { workerData } = require('node:worker_threads');
const requireHere = createRequire(workerData.entry);
const { transformSync } = requireHere('@swc/core');
const options = {
  jsc: { parser: { syntax: 'typescript', decorators: true }, target: 'es2022' },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};
require.extensions['.ts'] = (module, filename) => {
  module._compile(transformSync(readFileSync(filename, 'utf8'), { ...options, filename }).code, filename);
};
requireHere(workerData.entry);
`;
