/**
 * Micro-benchmark of activity-file parsing: `npm run build && node dist/bench/activity-file.js [runs]`.
 * A 4-hour 1-Hz FIT ride (14,400 records: power, heart rate, cadence, altitude, distance, speed) is
 * parsed and summarised `runs` times through parseActivityFile (the worker thread the upload route
 * uses), one after the other, while the main thread's event-loop delay is recorded; the same work run on
 * the main thread (decodeActivityFile) shows what the worker keeps off the event loop.
 */
import * as os from 'node:os';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { decodeActivityFile } from '../src/activities/files/decode-activity-file';
import { closeActivityFileWorkers, parseActivityFile } from '../src/activities/files/parse-activity-file';
import { fitFile, fourHourRide } from '../test/helpers/activity-files';

const LIMIT = 25 * 1024 * 1024;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

async function main(runs: number): Promise<void> {
  const loadAtStart = os.loadavg().map((n) => Math.round(n * 100) / 100);
  const file = fitFile(fourHourRide());
  for (let i = 0; i < 3; i++) {
    await parseActivityFile(file, LIMIT);
  }
  // The same watch over an idle main thread for comparable time: what the machine's load alone causes.
  const idle = monitorEventLoopDelay({ resolution: 5 });
  idle.enable();
  await new Promise((resolve) => setTimeout(resolve, 5_000));
  idle.disable();
  const delay = monitorEventLoopDelay({ resolution: 5 });
  const worker: number[] = [];
  delay.enable();
  const cpuBefore = process.cpuUsage();
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const activity = await parseActivityFile(file, LIMIT);
    worker.push(performance.now() - started);
    if (activity.summary.moving_s !== 14_400) {
      throw new Error(`unexpected summary: ${JSON.stringify(activity.summary)}`);
    }
  }
  delay.disable();
  const cpu = process.cpuUsage(cpuBefore);
  const mainThread: number[] = [];
  for (let i = 0; i < Math.min(runs, 10); i++) {
    const started = performance.now();
    decodeActivityFile(file, LIMIT);
    mainThread.push(performance.now() - started);
  }
  await closeActivityFileWorkers();
  worker.sort((a, b) => a - b);
  mainThread.sort((a, b) => a - b);
  const result = {
    file: { records: 14_400, bytes: file.length },
    runs,
    parse_in_worker_ms: {
      p50: round(percentile(worker, 50)),
      p95: round(percentile(worker, 95)),
      max: round(worker[worker.length - 1]),
    },
    // Process CPU (worker + main thread) per file: steadier than wall time when the machine is shared.
    cpu_ms_per_parse: round((cpu.user + cpu.system) / 1000 / runs),
    event_loop_delay_ms: {
      max: round(delay.max / 1e6),
      p99: round(delay.percentile(99) / 1e6),
      mean: round(delay.mean / 1e6),
    },
    idle_event_loop_delay_ms: { max: round(idle.max / 1e6), p99: round(idle.percentile(99) / 1e6) },
    same_work_on_main_thread_ms: { p50: round(percentile(mainThread, 50)) },
    machine: {
      cores: os.availableParallelism(),
      node: process.version,
      load_average_at_start: loadAtStart,
      load_average_at_end: os.loadavg().map((n) => Math.round(n * 100) / 100),
    },
  };
  console.log(JSON.stringify(result, null, 2));
}

main(Number(process.argv[2] ?? 30)).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
