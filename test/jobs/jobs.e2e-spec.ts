import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CLS_ID } from 'nestjs-cls';
import { requestId, requestStore } from '../../src/common/request-context';
import { type Job, JobDeferred, JobQueue } from '../../src/jobs/job-queue';
import { eventually } from '../helpers/mail';
import { PROJECT_ROOT } from '../helpers/server-process';
import { createTestApp, TEST_ENV, type TestApp } from '../helpers/test-app';

/** Short leases and polls, so recovery and cross-instance pick-up happen within a test's wait. */
const JOB_ENV = { JOBS_POLL_INTERVAL_MS: '200', JOBS_LEASE_SECONDS: '2', SHUTDOWN_TIMEOUT_MS: '2000' };
const WAIT_MS = 20_000;

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A promise to resolve from outside: holds a handler until the test lets it go. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe('Job queue (the database the suite runs on)', () => {
  let t: TestApp;
  let queue: JobQueue;

  beforeAll(async () => {
    t = await createTestApp(JOB_ENV);
    queue = t.app.get(JobQueue);
  });
  afterAll(async () => {
    await t.close();
  });

  /** /metrics once it has `line`: a job's outcome is counted just after its handler returns. */
  const metricsShowing = (line: string): Promise<string> =>
    eventually(
      async () => {
        const res = await t.http.get('/metrics').expect(200);
        return res.text.includes(line) ? res.text : undefined;
      },
      WAIT_MS,
      line,
    );

  it('runs each sent job once with its data and id, first attempt 1', async () => {
    const seen: Job<{ n: number }>[] = [];
    queue.work<{ n: number }>('basic', { concurrency: 2 }, (job) => {
      seen.push(job);
      return Promise.resolve();
    });
    const ids = [await queue.send('basic', { n: 1 }), await queue.send('basic', { n: 2 })];
    await eventually(() => (seen.length >= 2 ? true : undefined), WAIT_MS, 'both jobs');
    expect(seen.map((job) => job.id).sort()).toEqual([...ids].sort());
    expect(seen.map((job) => job.data.n).sort()).toEqual([1, 2]);
    expect(seen.every((job) => job.name === 'basic' && job.attempt === 1)).toBe(true);
  });

  it('runs a job sent during a request outside that request: no request id of the sender in its handler', async () => {
    const seen: (string | undefined)[] = [];
    queue.work('detached', { concurrency: 1 }, () => {
      seen.push(requestId());
      return Promise.resolve();
    });
    // One job first, so the worker's start-up pass is over and the next send takes its job at once.
    await queue.send('detached', { n: 0 });
    await eventually(() => (seen.length === 1 ? true : undefined), WAIT_MS, 'the first job');
    await delay(300);
    const cls = requestStore();
    let sender: string | undefined;
    await cls.run(async () => {
      cls.set(CLS_ID, 'a-request-sending-a-job');
      sender = requestId();
      await queue.send('detached', { n: 1 });
    });
    await eventually(() => (seen.length === 2 ? true : undefined), WAIT_MS, 'the job sent in the request');
    expect(sender).toBe('a-request-sending-a-job');
    expect(seen).toEqual([undefined, undefined]);
  });

  it('adds nothing for a key that is queued or running, and accepts it again once the job is done', async () => {
    const hold = gate();
    const started: string[] = [];
    const done: string[] = [];
    const first = await queue.send('dedupe', { n: 1 }, { key: 'mission-1:2026-12-03' });
    expect(first).toEqual(expect.any(String));
    expect(await queue.send('dedupe', { n: 2 }, { key: 'mission-1:2026-12-03' })).toBeNull();
    // The same key under another job name is another job.
    expect(await queue.send('dedupe-other', { n: 3 }, { key: 'mission-1:2026-12-03' })).toEqual(expect.any(String));

    queue.work('dedupe', { concurrency: 1 }, async (job) => {
      started.push(job.id);
      await hold.promise;
      done.push(job.id);
    });
    await eventually(() => (started.length === 1 ? true : undefined), WAIT_MS, 'the job to start');
    expect(await queue.send('dedupe', { n: 4 }, { key: 'mission-1:2026-12-03' })).toBeNull();
    hold.open();

    const again = await eventually(
      async () => (await queue.send('dedupe', { n: 5 }, { key: 'mission-1:2026-12-03' })) ?? undefined,
      WAIT_MS,
      'the key to be free',
    );
    await eventually(() => (done.length === 2 ? true : undefined), WAIT_MS, 'the second job');
    expect(started).toEqual([first, again]);
  });

  it('retries a failing job with growing back-off until it succeeds, holding its key meanwhile', async () => {
    const runs: { attempt: number; at: number }[] = [];
    queue.work('flaky', { concurrency: 1 }, (job) => {
      runs.push({ attempt: job.attempt, at: Date.now() });
      return job.attempt < 3
        ? Promise.reject(new Error(`upstream said no (attempt ${job.attempt})`))
        : Promise.resolve();
    });
    const id = await queue.send('flaky', {}, { key: 'flaky-1', retryLimit: 3, retryDelaySeconds: 1 });
    expect(id).toEqual(expect.any(String));
    await eventually(() => (runs.length >= 2 ? true : undefined), WAIT_MS, 'the first retry');
    expect(await queue.send('flaky', {}, { key: 'flaky-1' })).toBeNull();
    await eventually(() => (runs.length >= 3 ? true : undefined), WAIT_MS, 'the second retry');

    expect(runs.map((run) => run.attempt)).toEqual([1, 2, 3]);
    // Back-off: at least the delay after the first failure, at least twice it after the second.
    expect(runs[1].at - runs[0].at).toBeGreaterThanOrEqual(900);
    expect(runs[2].at - runs[1].at).toBeGreaterThanOrEqual(1900);
  });

  it('gives up after retryLimit attempts more than the first, and counts each outcome', async () => {
    const attempts = new Map<string, number[]>();
    queue.work('doomed', { concurrency: 1 }, (job) => {
      attempts.set(job.id, [...(attempts.get(job.id) ?? []), job.attempt]);
      return Promise.reject(new Error('always broken'));
    });
    const id = (await queue.send('doomed', {}, { key: 'doomed', retryLimit: 2, retryDelaySeconds: 1 }))!;
    // Failed for good is no longer live, so the key is accepted again: proof the first job stopped.
    await eventually(
      async () => (await queue.send('doomed', {}, { key: 'doomed', retryLimit: 0 })) ?? undefined,
      WAIT_MS,
      'the job to fail for good',
    );
    expect(attempts.get(id)).toEqual([1, 2, 3]);

    const metrics = await metricsShowing('jobs_total{name="doomed",outcome="failed"} 2');
    expect(attempts.size).toBe(2);
    expect(metrics).toContain('jobs_total{name="doomed",outcome="retried"} 2');
    expect(metrics).toContain('jobs_total{name="doomed",outcome="completed"} 0');
    expect(metrics).toMatch(/job_queue_lag_seconds_count\{name="doomed"\} \d+/);
  });

  it('runs a deferred job again after `until` without spending an attempt', async () => {
    const runs: { attempt: number; at: number }[] = [];
    let until = 0;
    queue.work('paused', { concurrency: 1 }, (job) => {
      runs.push({ attempt: job.attempt, at: Date.now() });
      if (runs.length === 1) {
        until = Date.now() + 1500;
        return Promise.reject(new JobDeferred(new Date(until), 'rate limited'));
      }
      return Promise.resolve();
    });
    // No retries at all: a deferral counted as a failed attempt would end the job here.
    await queue.send('paused', {}, { retryLimit: 0 });
    await eventually(() => (runs.length === 2 ? true : undefined), WAIT_MS, 'the deferred run');
    expect(runs.map((run) => run.attempt)).toEqual([1, 1]);
    expect(runs[1].at).toBeGreaterThanOrEqual(until - 50);
    const metrics = await metricsShowing('jobs_total{name="paused",outcome="completed"} 1');
    expect(metrics).toContain('jobs_total{name="paused",outcome="deferred"} 1');
  });

  it('never runs more handlers of a name at once than its concurrency', async () => {
    let running = 0;
    let most = 0;
    let finished = 0;
    queue.work('bounded', { concurrency: 3 }, async () => {
      running += 1;
      most = Math.max(most, running);
      await delay(150);
      running -= 1;
      finished += 1;
    });
    await Promise.all(Array.from({ length: 15 }, (_, n) => queue.send('bounded', { n })));
    await eventually(() => (finished === 15 ? true : undefined), WAIT_MS, 'all 15 jobs');
    expect(most).toBe(3);
  });
});

describe('Job queue across instances on one database', () => {
  let a: TestApp;
  let b: TestApp;
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'lr-jobs-'));
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    a = await createTestApp(JOB_ENV);
    b = await createTestApp({ ...JOB_ENV, DATABASE_URL: a.config.DATABASE_URL });
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await b.close();
    await a.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('has two instances run each of many jobs exactly once between them', async () => {
    const runs = new Map<string, string[]>();
    const handler =
      (instance: string) =>
      async (job: Job<object>): Promise<void> => {
        runs.set(job.id, [...(runs.get(job.id) ?? []), instance]);
        await delay(20);
      };
    a.app.get(JobQueue).work('shared', { concurrency: 2 }, handler('a'));
    b.app.get(JobQueue).work('shared', { concurrency: 2 }, handler('b'));
    const sent = await Promise.all(
      Array.from({ length: 40 }, (_, n) => (n % 2 ? a : b).app.get(JobQueue).send('shared', { n })),
    );
    await eventually(() => (runs.size === 40 ? true : undefined), WAIT_MS, 'all 40 jobs');
    await delay(500);
    expect([...runs.keys()].sort()).toEqual([...sent].sort());
    expect([...runs.values()].every((instances) => instances.length === 1)).toBe(true);
    const by = (instance: string): number => [...runs.values()].filter(([who]) => who === instance).length;
    expect(by('a')).toBeGreaterThan(0);
    expect(by('b')).toBeGreaterThan(0);
  });

  it('keeps one job of many sent at once with one key from two instances', async () => {
    const ids = await Promise.all(
      Array.from({ length: 20 }, (_, n) => (n % 2 ? a : b).app.get(JobQueue).send('race', { n }, { key: 'race-1' })),
    );
    expect(ids.filter((id) => id !== null)).toHaveLength(1);
  });

  it('runs nothing on an instance with JOBS_WORKERS=false, whose jobs another instance runs', async () => {
    const c = await createTestApp({ ...JOB_ENV, DATABASE_URL: a.config.DATABASE_URL, JOBS_WORKERS: 'false' });
    try {
      const ranOn: string[] = [];
      c.app.get(JobQueue).work('api-only', { concurrency: 1 }, () => {
        ranOn.push('c');
        return Promise.resolve();
      });
      const id = await c.app.get(JobQueue).send('api-only', {});
      expect(id).toEqual(expect.any(String));
      a.app.get(JobQueue).work('api-only', { concurrency: 1 }, () => {
        ranOn.push('a');
        return Promise.resolve();
      });
      await eventually(() => (ranOn.length > 0 ? true : undefined), WAIT_MS, 'the job');
      expect(ranOn).toEqual(['a']);
    } finally {
      await c.close();
    }
  });

  it('runs again a job whose process was killed while running it, once its lease expires', async () => {
    // Another process (the compiled app, from `npm run build`) takes the job, then dies with SIGKILL.
    const script = `
      const { NestFactory } = require('@nestjs/core');
      const { AppModule } = require('./dist/src/app.module');
      const { loadConfig } = require('./dist/src/config/app-config');
      const { JobQueue } = require('./dist/src/jobs/job-queue');
      (async () => {
        const app = await NestFactory.createApplicationContext(AppModule.forRoot(loadConfig(process.env)), { logger: ['error'] });
        app.get(JobQueue).work('crashy', { concurrency: 1 }, async (job) => {
          process.stdout.write('started ' + job.id + ' ' + job.attempt + '\\n');
          await new Promise(() => undefined);
        });
        setInterval(() => undefined, 1000); // the queue's timers do not hold the process; a server would
        process.stdout.write('ready\\n');
      })().catch((error) => { console.error(error); process.exit(1); });`;
    let output = '';
    child = spawn(process.execPath, ['-e', script], {
      cwd: PROJECT_ROOT,
      env: {
        ...process.env,
        ...TEST_ENV,
        ...JOB_ENV,
        DATABASE_URL: a.config.DATABASE_URL,
        LOG_DIR: path.join(scratch, 'logs'),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await eventually(() => (output.includes('ready') ? true : undefined), WAIT_MS, 'the other process');

    const id = await a.app.get(JobQueue).send('crashy', { n: 1 }, { key: 'crashy', retryDelaySeconds: 1 });
    await eventually(() => (output.includes(`started ${id} 1`) ? true : undefined), WAIT_MS, 'the job to start there');
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    child = undefined;

    const reruns: Job<object>[] = [];
    a.app.get(JobQueue).work('crashy', { concurrency: 1 }, (job) => {
      reruns.push(job);
      return Promise.resolve();
    });
    await eventually(() => (reruns.length === 1 ? true : undefined), WAIT_MS, 'the job to run again');
    expect(reruns[0].id).toBe(id);
    expect(reruns[0].attempt).toBe(2);
  });
});

describe('Job queue on shutdown', () => {
  it('takes no new job and lets the running one finish before the application closes', async () => {
    const t = await createTestApp(JOB_ENV);
    const events: string[] = [];
    const queue = t.app.get(JobQueue);
    queue.work<{ n: number }>('slow', { concurrency: 1 }, async (job) => {
      events.push(`start ${job.data.n}`);
      await delay(700);
      events.push(`end ${job.data.n}`);
    });
    await queue.send('slow', { n: 1 });
    await queue.send('slow', { n: 2 });
    await eventually(() => (events.length > 0 ? true : undefined), WAIT_MS, 'the first job');
    await t.close();
    expect(events).toEqual(['start 1', 'end 1']);
  });

  it('stops waiting for a job that does not finish after SHUTDOWN_TIMEOUT_MS', async () => {
    const t = await createTestApp({ ...JOB_ENV, SHUTDOWN_TIMEOUT_MS: '300' });
    let started = false;
    t.app.get(JobQueue).work('stuck', { concurrency: 1 }, () => {
      started = true;
      return new Promise<void>(() => undefined);
    });
    await t.app.get(JobQueue).send('stuck', {});
    await eventually(() => (started ? true : undefined), WAIT_MS, 'the job');
    // Resolves (the suite would time out otherwise); the job keeps its lease and runs again elsewhere.
    await t.close();
  });
});
