import { performance } from 'node:perf_hooks';
import { fitFile, fourHourRide } from '../test/helpers/activity-files';
import type { LoadResult } from './load';
import { sumCounter } from './target';
import type { TrainingContext } from './training-rows';

/** Row 11: uploads of a 4-hour 1-Hz FIT ride, one at a time, and the server's event loop meanwhile. */
export type UploadMeasurement =
  | (LoadResult & {
      records: number;
      bytes: number;
      cpu_us: number;
      /** Of which the main thread's (the event loop's): what an upload costs every other request. */
      main_thread_cpu_us: number;
      /** The longest event-loop delay the server itself saw during the uploads (prom-client's histogram). */
      event_loop_max_ms: number;
      event_loop_p99_ms: number;
      /** The same measure over 5 s with the server idle: what the machine's load alone causes. */
      idle_event_loop_max_ms: number;
    })
  | { skipped: string };

const RECORDS = 4 * 3600;
const EMPTY: LoadResult = {
  rps: 0,
  responses: 0,
  p50: 0,
  p99: 0,
  max: 0,
  statuses: {},
  errors: 0,
  timeouts: 0,
  seconds: 0,
};
const WARM_UP = 5;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/**
 * The server's own event-loop delay: prom-client's default metrics read a perf_hooks
 * monitorEventLoopDelay histogram on every scrape of /metrics and reset it, so the scrape after the
 * uploads reports the longest stall since the scrape before them.
 */
async function eventLoopLag(base: string): Promise<{ max_ms: number; p99_ms: number }> {
  const text = await (await fetch(`${base}/metrics`)).text();
  return {
    max_ms: sumCounter(text, 'nodejs_eventloop_lag_max_seconds', () => true) * 1000,
    p99_ms: sumCounter(text, 'nodejs_eventloop_lag_p99_seconds', () => true) * 1000,
  };
}

export async function measureUpload(ctx: TrainingContext): Promise<UploadMeasurement> {
  if (!ctx.wanted(11)) {
    return { skipped: 'not run (--rows)' };
  }
  console.error('row 11: POST /activities/upload of a 4-hour FIT ride');
  const email = `bench.upload.${Date.now()}@example.com`;
  const password = 'bench-password-123';
  await ctx.setup('POST', '/auth/register', { email, password });
  const token = (await ctx.setup('POST', '/auth/login', { email, password })).body.access_token as string;
  await ctx.setup('PUT', '/athlete', { ftp: 250, ftp_effective_from: '2026-01-01', threshold_hr: 165 }, token);
  const file = fitFile(fourHourRide());

  /** One upload timed from the first byte sent to the last received; the activity is deleted after. */
  const upload = async (): Promise<{ status: number; ms: number; cpuMs: number; mainMs: number }> => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(file)]), 'four-hours.fit');
    const cpu0 = ctx.cpuMs();
    const main0 = ctx.mainThreadCpuMs();
    const started = performance.now();
    const res = await fetch(`${ctx.base}/activities/upload`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
    const body = (await res.json()) as { id?: string };
    const ms = performance.now() - started;
    const cpuMs = ctx.cpuMs() - cpu0;
    const mainMs = ctx.mainThreadCpuMs() - main0;
    if (body.id) {
      await ctx.setup('DELETE', `/activities/${body.id}`, undefined, token);
    }
    return { status: res.status, ms, cpuMs, mainMs };
  };

  for (let i = 0; i < WARM_UP; i++) {
    const r = await upload();
    ctx.audited('activities/upload warm-up', { ...EMPTY, responses: 1, statuses: { [r.status]: 1 } });
    if (r.status !== 201) {
      return { skipped: `the upload answered ${r.status}` };
    }
  }
  const runs = Math.max(10, Math.round(ctx.requests / 4));
  await eventLoopLag(ctx.base); // resets the server's histogram
  await new Promise((resolve) => setTimeout(resolve, 5000));
  const idle = await eventLoopLag(ctx.base);
  const started = performance.now();
  const times: number[] = [];
  const statuses: Record<string, number> = {};
  let cpuMs = 0;
  let mainMs = 0;
  for (let i = 0; i < runs; i++) {
    const r = await upload();
    times.push(r.ms);
    cpuMs += r.cpuMs;
    mainMs += r.mainMs;
    statuses[r.status] = (statuses[r.status] ?? 0) + 1;
  }
  const seconds = (performance.now() - started) / 1000;
  const lag = await eventLoopLag(ctx.base);
  times.sort((a, b) => a - b);
  const result: LoadResult = {
    ...EMPTY,
    rps: runs / seconds,
    responses: runs,
    p50: Math.round(percentile(times, 50)),
    p99: Math.round(percentile(times, 99)),
    max: Math.round(times[times.length - 1] ?? 0),
    statuses,
    seconds,
  };
  ctx.audited('activities/upload', result);
  return {
    ...result,
    records: RECORDS,
    bytes: file.length,
    cpu_us: (cpuMs * 1000) / runs,
    main_thread_cpu_us: (mainMs * 1000) / runs,
    event_loop_max_ms: lag.max_ms,
    event_loop_p99_ms: lag.p99_ms,
    idle_event_loop_max_ms: idle.max_ms,
  };
}
