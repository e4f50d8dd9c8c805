import { Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { AsyncResource } from 'node:async_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { MetricsService } from '../metrics/metrics.service';
import { DEFAULT_RETRY_DELAY_SECONDS, DEFAULT_RETRY_LIMIT, Job, JobDeferred, JobOptions, JobQueue } from './job-queue';
import type { ClaimedJob, JobStore } from './job-store';

export interface JobRunnerSettings {
  /** JOBS_WORKERS: false makes this instance send jobs and never run them. */
  workers: boolean;
  /** How often idle workers look for jobs that other instances sent or that became due. */
  pollIntervalMs: number;
  /** How long a claimed job is held before another instance may take it; renewed while it runs. */
  leaseSeconds: number;
  /** On shutdown, how long running jobs may take before the process stops waiting for them. */
  shutdownTimeoutMs: number;
}

interface Worker {
  name: string;
  concurrency: number;
  handler: (job: Job<object>) => Promise<void>;
  running: Map<string, ClaimedJob>;
  filling: boolean;
  again: boolean;
}

const OUTCOMES = ['completed', 'retried', 'failed', 'deferred'] as const;
type Outcome = (typeof OUTCOMES)[number];

const NAME = /^[A-Za-z0-9][\w.-]{0,99}$/;

/**
 * The JobQueue over a JobStore: one worker loop per job name that keeps at most `concurrency` handlers
 * running, takes more when one finishes, when a job is sent from this process, and every poll interval
 * (for jobs sent elsewhere or becoming due). Leases of running jobs are renewed on a timer, so a job is
 * taken again only when its process died or hung past the lease.
 */
export class JobRunner extends JobQueue implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Jobs');
  private readonly workers = new Map<string, Worker>();
  private readonly inFlight = new Set<Promise<void>>();
  private timers: NodeJS.Timeout[] = [];
  private started = false;
  private stopped = false;
  /**
   * Runs a function in the context the runner was made in (start-up, outside any request). A job sent
   * during a request is taken at once by `fill`, which would otherwise run its handler inside that
   * request's context: its request id on the job's log lines, its caller and audit notes within reach.
   */
  private readonly outsideRequests = AsyncResource.bind((work: () => void): void => work());

  constructor(
    private readonly store: JobStore,
    private readonly settings: JobRunnerSettings,
    private readonly metrics: MetricsService,
  ) {
    super();
  }

  async send<T extends object>(name: string, data: T, options: JobOptions = {}): Promise<string | null> {
    assertName(name);
    const retryLimit = options.retryLimit ?? DEFAULT_RETRY_LIMIT;
    const retryDelaySeconds = options.retryDelaySeconds ?? DEFAULT_RETRY_DELAY_SECONDS;
    if (!Number.isInteger(retryLimit) || retryLimit < 0 || retryLimit > 1000) {
      throw new TypeError(`retryLimit must be an integer from 0 to 1000 (job ${name})`);
    }
    if (!Number.isInteger(retryDelaySeconds) || retryDelaySeconds < 1 || retryDelaySeconds > 86_400) {
      throw new TypeError(`retryDelaySeconds must be an integer from 1 to 86400 (job ${name})`);
    }
    if (options.key !== undefined && (options.key.length === 0 || options.key.length > 200)) {
      throw new TypeError(`key must be 1 to 200 characters (job ${name})`);
    }
    if (options.startAfter && Number.isNaN(options.startAfter.getTime())) {
      throw new TypeError(`startAfter is not a valid date (job ${name})`);
    }
    await this.store.prepare(name);
    const id = await this.store.insert({
      name,
      data,
      key: options.key ?? null,
      startAfter: options.startAfter ?? null,
      retryLimit,
      retryDelaySeconds,
      leaseSeconds: this.settings.leaseSeconds,
    });
    const worker = this.workers.get(name);
    if (id && worker && (!options.startAfter || options.startAfter.getTime() <= Date.now())) {
      this.fill(worker);
    }
    return id;
  }

  work<T extends object>(
    name: string,
    options: { concurrency: number },
    handler: (job: Job<T>) => Promise<void>,
  ): void {
    assertName(name);
    if (!Number.isInteger(options.concurrency) || options.concurrency < 1) {
      throw new TypeError(`concurrency must be a positive integer (job ${name})`);
    }
    if (this.workers.has(name)) {
      throw new Error(`A handler for job ${name} is already registered`);
    }
    const worker: Worker = {
      name,
      concurrency: options.concurrency,
      handler: handler as (job: Job<object>) => Promise<void>,
      running: new Map(),
      filling: false,
      again: false,
    };
    this.workers.set(name, worker);
    for (const outcome of OUTCOMES) {
      this.metrics.jobs.inc({ name, outcome }, 0);
    }
    this.metrics.jobsRunning.set({ name }, 0);
    if (this.started) {
      this.fill(worker);
    }
  }

  onApplicationBootstrap(): void {
    if (!this.settings.workers) {
      this.logger.log('JOBS_WORKERS=false: this instance sends jobs and runs none');
      return;
    }
    this.started = true;
    const poll = setInterval(() => this.workers.forEach((worker) => this.fill(worker)), this.settings.pollIntervalMs);
    const renew = setInterval(() => void this.renewLeases(), (this.settings.leaseSeconds * 1000) / 3);
    this.timers = [poll, renew];
    this.timers.forEach((timer) => timer.unref());
    this.workers.forEach((worker) => this.fill(worker));
  }

  /** Stops taking jobs and waits for the running ones (at most shutdownTimeoutMs); the rest keep their lease. */
  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    this.timers.forEach((timer) => clearInterval(timer));
    if (this.inFlight.size > 0) {
      const running = this.inFlight.size;
      const finished = await Promise.race([
        Promise.allSettled([...this.inFlight]).then(() => true),
        sleep(this.settings.shutdownTimeoutMs, false, { ref: false }),
      ]);
      if (!finished) {
        this.logger.warn(
          `${this.inFlight.size} of ${running} job(s) still running after ${this.settings.shutdownTimeoutMs} ms: ` +
            'they run again once their lease expires',
        );
      }
    }
    await this.store.close();
  }

  /** Takes as many due jobs as the worker has room for; a call during a pass runs one more pass after it. */
  private fill(worker: Worker): void {
    if (!this.started || this.stopped) {
      return;
    }
    if (worker.filling) {
      worker.again = true;
      return;
    }
    worker.filling = true;
    this.outsideRequests(() => {
      void this.claimInto(worker).finally(() => {
        worker.filling = false;
        if (worker.again) {
          worker.again = false;
          this.fill(worker);
        }
      });
    });
  }

  private async claimInto(worker: Worker): Promise<void> {
    try {
      while (!this.stopped) {
        const room = worker.concurrency - worker.running.size;
        if (room <= 0) {
          return;
        }
        const jobs = await this.store.claim(worker.name, room, this.settings.leaseSeconds);
        jobs.forEach((job) => this.start(worker, job));
        if (jobs.length < room) {
          return;
        }
      }
    } catch (error) {
      this.logger.error(`Taking ${worker.name} jobs failed: ${messageOf(error)}`);
    }
  }

  private start(worker: Worker, job: ClaimedJob): void {
    worker.running.set(job.id, job);
    this.metrics.jobsRunning.inc({ name: worker.name });
    this.metrics.jobLag.observe({ name: worker.name }, Math.max(0, Date.now() - job.dueAt.getTime()) / 1000);
    const run: Promise<void> = this.run(worker, job).finally(() => {
      worker.running.delete(job.id);
      this.inFlight.delete(run);
      this.metrics.jobsRunning.dec({ name: worker.name });
      this.fill(worker);
    });
    this.inFlight.add(run);
  }

  private async run(worker: Worker, job: ClaimedJob): Promise<void> {
    let failure: unknown;
    let failed = false;
    try {
      await worker.handler({ id: job.id, name: job.name, data: job.data, attempt: job.attempt });
    } catch (error) {
      failure = error;
      failed = true;
    }
    try {
      const outcome = await this.settle(job, failed, failure);
      this.metrics.jobs.inc({ name: job.name, outcome });
    } catch (error) {
      this.logger.error(
        `Job ${job.name} ${job.id}: recording its outcome failed (${messageOf(error)}); ` +
          'it runs again once its lease expires',
      );
    }
  }

  private async settle(job: ClaimedJob, failed: boolean, failure: unknown): Promise<Outcome> {
    if (!failed) {
      await this.store.complete(job);
      return 'completed';
    }
    if (failure instanceof JobDeferred) {
      const until = Number.isNaN(failure.until.getTime()) ? new Date() : failure.until;
      await this.store.defer(job, until);
      this.logger.debug(`Job ${job.name} ${job.id} deferred until ${until.toISOString()}: ${failure.message}`);
      return 'deferred';
    }
    const message = messageOf(failure);
    const outcome = await this.store.fail(job, message);
    this.logger.warn(
      `Job ${job.name} ${job.id} (attempt ${job.attempt} of ${job.retryLimit + 1}) failed: ${message}; ` +
        (outcome === 'retried' ? 'will retry' : 'giving up'),
    );
    return outcome;
  }

  private async renewLeases(): Promise<void> {
    for (const worker of this.workers.values()) {
      if (worker.running.size === 0) {
        continue;
      }
      try {
        await this.store.extend(worker.name, [...worker.running.values()], this.settings.leaseSeconds);
      } catch (error) {
        this.logger.warn(`Renewing the leases of ${worker.name} jobs failed: ${messageOf(error)}`);
      }
    }
  }
}

function assertName(name: string): void {
  if (!NAME.test(name)) {
    throw new TypeError(`Job names are 1 to 100 letters, digits, '.', '_' or '-': ${JSON.stringify(name)}`);
  }
}

/** An error's message, never the job's data; bounded, since it is stored with the job. */
function messageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.slice(0, 1000);
}
