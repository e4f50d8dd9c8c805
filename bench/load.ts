import autocannon from 'autocannon';
import * as http from 'node:http';

export interface LoadResult {
  /** Responses received per second over the whole run. */
  rps: number;
  responses: number;
  p50: number;
  p99: number;
  /** The slowest response's latency, ms. */
  max: number;
  /** Responses by status code. */
  statuses: Record<string, number>;
  errors: number;
  timeouts: number;
  seconds: number;
}

export type LoadOptions = Omit<autocannon.Options, 'url'>;

function summarize(result: autocannon.Result): LoadResult {
  const statuses: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) {
    statuses[code] = stat.count;
  }
  const responses = Object.values(statuses).reduce((a, b) => a + b, 0);
  const seconds = (new Date(result.finish).getTime() - new Date(result.start).getTime()) / 1000;
  return {
    rps: seconds > 0 ? responses / seconds : 0,
    responses,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    statuses,
    errors: result.errors,
    timeouts: result.timeouts,
    seconds,
  };
}

/**
 * A fixed number of requests (`amount`): autocannon then waits for every response before it stops, so
 * the server never sees an abandoned request and the audit count stays exact.
 */
export async function runAmount(url: string, amount: number, options: LoadOptions): Promise<LoadResult> {
  const connections = Math.max(1, Math.min(options.connections ?? 10, amount));
  const result = await autocannon({ timeout: 30, ...options, connections, url, amount, excludeErrorStats: false });
  return summarize(result);
}

/** The request count that lasts about `seconds` at the rate a warm-up reached (whole rounds of `requests`). */
export function amountFor(warm: LoadResult, seconds: number, options: LoadOptions): number {
  const connections = options.connections ?? 10;
  const even = options.requests ? options.requests.length * connections : connections;
  return Math.max(even, Math.round((warm.rps * seconds) / even) * even);
}

/**
 * A background prober: one GET every `1000 / rate` ms on a fixed schedule, whatever the earlier ones are
 * doing, each timed from its scheduled start (so a stalled server counts in full; no coordinated omission).
 * autocannon's own `overallRate` is not used here: its correction takes `Math.ceil(1 / rate)` as the
 * expected interval (1 ms at any rate), which turns one slow answer into dozens of synthetic samples.
 */
export function probe(url: string, rate: number): { stop(): Promise<LoadResult> } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  let outstanding = 0;
  const started = performance.now();
  const interval = 1000 / rate;
  let next = started;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const fire = (scheduled: number): void => {
    outstanding += 1;
    const req = http.get(url, { agent, timeout: 30_000 }, (res) => {
      res.resume();
      res.on('end', () => {
        outstanding -= 1;
        latencies.push(performance.now() - scheduled);
        statuses[String(res.statusCode)] = (statuses[String(res.statusCode)] ?? 0) + 1;
      });
    });
    req.on('error', () => {
      outstanding -= 1;
      errors += 1;
    });
  };
  const tick = (): void => {
    const now = performance.now();
    while (next <= now && !stopped) {
      // At most 200 probes in flight: past that the server is down, and the count of errors says so.
      if (outstanding < 200) {
        fire(next);
      } else {
        errors += 1;
      }
      next += interval;
    }
    if (!stopped) {
      timer = setTimeout(tick, Math.max(0, next - performance.now()));
    }
  };
  tick();
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      const deadline = performance.now() + 30_000;
      while (outstanding > 0 && performance.now() < deadline) {
        await new Promise((r) => setTimeout(r, 10));
      }
      agent.destroy();
      const sorted = [...latencies].sort((a, b) => a - b);
      const at = (q: number): number =>
        sorted.length
          ? Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] * 10) / 10
          : NaN;
      const seconds = (performance.now() - started) / 1000;
      return {
        rps: sorted.length / seconds,
        responses: sorted.length,
        p50: at(0.5),
        p99: at(0.99),
        max: at(1),
        statuses,
        errors,
        timeouts: 0,
        seconds,
      };
    },
  };
}

/** Count of responses with a 2xx status. */
export function ok(result: LoadResult): number {
  return Object.entries(result.statuses)
    .filter(([code]) => code.startsWith('2'))
    .reduce((sum, [, n]) => sum + n, 0);
}
