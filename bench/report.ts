import type { BenchArgs } from './args';
import type { FloorMeasurements, Measurements, Throughput } from './rows';
import type { LoadResult } from './load';

export interface Row {
  row: number;
  measure: string;
  result: string;
  target: string;
  /** `ok`, `MISSED`, `n/a` (nothing to compare) or `skipped`. */
  verdict: string;
}

const n0 = (n: number): string => Math.round(n).toLocaleString('en-US');
const n1 = (n: number): string => (Math.round(n * 10) / 10).toFixed(1);
const n2 = (n: number): string => (Math.round(n * 100) / 100).toFixed(2);
const mb = (bytes: number): string => `${n1(bytes / 2 ** 20)} MB`;
const verdict = (pass: boolean): string => (pass ? 'ok' : 'MISSED');
const isSkipped = (x: object): x is { skipped: string } => 'skipped' in x;
const cpu = (t: Throughput): string => `${n0(t.server_cpu_us_per_request)} us CPU/req`;

/**
 * Throughput against the floor app's GET /healthz in the same run (the rounds interleaved with the row's
 * when it has them): requests/s as a fraction of the floor's, and the server's CPU time per request as a
 * multiple of the floor's (the target's measure).
 */
function ratio(t: Throughput, floor: FloorMeasurements | { skipped: string }): { cpu: number; text: string } {
  const own = `${n0(t.rps)} req/s, p99 ${t.p99} ms; ${cpu(t)}`;
  const f = t.floor ?? (isSkipped(floor) ? undefined : floor.healthz);
  if (!f) {
    return { cpu: NaN, text: own };
  }
  const byCpu = t.server_cpu_us_per_request / f.server_cpu_us_per_request;
  const rounds = t.floor
    ? ` (floor ${n0(t.floor.server_cpu_us_per_request)} us in ${t.floor.rounds} interleaved rounds)`
    : '';
  return {
    cpu: byCpu,
    text: `${n0(t.rps)} req/s (${n2(t.rps / f.rps)} x floor), p99 ${t.p99} ms; ${cpu(t)} = ${n2(byCpu)} x floor${rounds}`,
  };
}

/** A throughput row with a CPU target relative to the floor (`limit` x floor's CPU per request). */
function throughputRow(
  row: number,
  measure: string,
  t: Throughput | { skipped: string },
  floor: FloorMeasurements | { skipped: string },
  limit?: number,
): Row {
  const target = limit === undefined ? '-' : `CPU <= ${n1(limit)} x floor`;
  if (isSkipped(t)) {
    return { row, measure, result: t.skipped, target, verdict: 'skipped' };
  }
  const r = ratio(t, floor);
  return {
    row,
    measure,
    result: r.text,
    target,
    verdict: limit === undefined || Number.isNaN(r.cpu) ? 'n/a' : verdict(r.cpu <= limit),
  };
}

export function rowsOf(m: Measurements, args: BenchArgs): Row[] {
  const rows: Row[] = [];
  const skipped = (row: number, measure: string, reason: string, target = '-'): Row => ({
    row,
    measure,
    result: reason,
    target,
    verdict: 'skipped',
  });

  const floor = m.floor;
  rows.push(
    isSkipped(floor)
      ? skipped(0, 'floor: bare Nest GET /healthz (bench/floor/)', floor.skipped)
      : {
          row: 0,
          measure: 'floor: bare Nest GET /healthz (bench/floor/)',
          result: `${n0(floor.healthz.rps)} req/s, p99 ${floor.healthz.p99} ms; ${cpu(floor.healthz)}; RSS after ${n0(floor.memory.after[floor.memory.after.length - 1])} requests ${mb(floor.memory.rss_bytes[floor.memory.rss_bytes.length - 1])}`,
          target: '-',
          verdict: 'n/a',
        },
  );
  rows.push(throughputRow(1, 'GET /healthz (all middleware)', m.healthz, floor, 1.3));
  rows.push(throughputRow(2, 'GET /users/me (guard, session, audit row)', m.usersMe, floor, 2.0));
  rows.push(throughputRow(3, 'POST /missions + GET /missions/{id}', m.missions, floor, 3.0));
  rows.push(throughputRow(12, 'GET /missions (10 missions)', m.missionsList, floor, 3.0));
  rows.push(throughputRow(13, 'POST /missions', m.missionsCreate, floor, 3.0));
  if (m.logins.length === 0) {
    rows.push(skipped(4, 'logins/s vs hash limit', 'not run (--rows)', '>= 0.90 of the limit'));
    rows.push(skipped(5, '/healthz p99 while row 4 runs', 'not run (--rows)', '< 20 ms'));
  } else {
    const limit = m.hash.limit_per_s;
    const worst = Math.min(...m.logins.map((l) => l.logins_per_s / limit));
    rows.push({
      row: 4,
      measure: `logins/s vs hash limit (${m.hash.server_cores} core / ${n1(m.hash.one_check_ms)} ms at cost ${m.hash.cost} = ${n1(limit)}/s)`,
      result: m.logins
        .map((l) => `${l.clients} clients: ${n1(l.logins_per_s)}/s = ${n2(l.logins_per_s / limit)}`)
        .join('; '),
      target: '>= 0.90 of the limit',
      verdict: verdict(worst >= 0.9),
    });
    rows.push({
      row: 5,
      measure: '/healthz p99 while row 4 runs (50 req/s)',
      result: `${m.logins.map((l) => `${l.clients} clients: ${l.healthz_during.p99} ms`).join('; ')} (idle: ${m.healthzIdle?.p99 ?? '?'} ms)`,
      target: '< 20 ms',
      verdict: verdict(Math.max(...m.logins.map((l) => l.healthz_during.p99)) < 20),
    });
  }
  if (isSkipped(m.memory)) {
    rows.push(
      skipped(6, 'RSS after 10k / 50k authenticated requests', m.memory.skipped, '< 5% growth, <= 1.5 x floor'),
    );
  } else {
    const [after1, after2] = m.memory.after;
    const floorRss = isSkipped(floor) ? NaN : floor.memory.rss_bytes[floor.memory.rss_bytes.length - 1];
    const vsFloor = m.memory.rss_bytes[1] / floorRss;
    rows.push({
      row: 6,
      measure: `RSS after ${n0(after1)} / ${n0(after2)} authenticated requests (after a full GC)`,
      result: `${mb(m.memory.rss_bytes[0])} / ${mb(m.memory.rss_bytes[1])} (${m.memory.growth_pct >= 0 ? '+' : ''}${n1(m.memory.growth_pct)}%; ${n2(vsFloor)} x floor's ${mb(floorRss)}); heap ${mb(m.memory.heap_used_bytes[0])} / ${mb(m.memory.heap_used_bytes[1])}`,
      target: '< 5% growth, <= 1.5 x floor',
      verdict: verdict(m.memory.growth_pct < 5 && !(vsFloor > 1.5)),
    });
  }
  rows.push(tailRowOf(m));
  rows.push({
    row: 7,
    measure: 'audit rows vs auditable requests served',
    result: `${n0(m.audit.rows)} rows / ${n0(m.audit.served_by_server)} served (bench received ${n0(m.audit.received_by_bench)})`,
    target: 'equal',
    verdict: verdict(m.audit.rows === m.audit.served_by_server && m.audit.rows === m.audit.received_by_bench),
  });
  if (isSkipped(m.draft)) {
    rows.push(skipped(8, 'POST /missions/draft, p50 - LLM delay', m.draft.skipped, '< 20 ms'));
  } else {
    rows.push({
      row: 8,
      measure: `POST /missions/draft, p50 - ${m.draft.llm_delay_ms} ms fake LLM`,
      result: `${n1(m.draft.overhead_p50_ms)} ms (p50 ${m.draft.p50} ms, p99 ${m.draft.p99} ms, ${args.drafts} drafts)`,
      target: '< 20 ms',
      verdict: verdict(m.draft.overhead_p50_ms < 20),
    });
  }
  rows.push(...trainingRowsOf(m), uploadRowOf(m), coachRowOf(m));
  return rows;
}

/** Row 15: the tail of an authenticated read at 50 connections, against its own median. */
function tailRowOf(m: Measurements): Row {
  const measure = 'GET /users/me at 50 connections: p99 / p50, max';
  const target = 'p99 <= 3 x p50, max < 250 ms';
  const t = m.usersMeTail;
  if (isSkipped(t)) {
    return { row: 15, measure, result: t.skipped, target, verdict: 'skipped' };
  }
  const spread = t.p99 / Math.max(1, t.p50);
  return {
    row: 15,
    measure,
    result: `${n0(t.rps)} req/s, p50 ${t.p50} ms, p99 ${t.p99} ms (${n2(spread)} x p50), max ${t.max} ms; ${cpu(t)}`,
    target,
    verdict: verdict(spread <= 3 && t.max < 250),
  };
}

/** Rows 9 and 10: p50 of one request at a time against a rider with ten years of data. */
function trainingRowsOf(m: Measurements): Row[] {
  const { load, progress } = m.training;
  const row = (
    n: number,
    measure: string,
    r: { skipped: string } | (LoadResult & { items: number; cpu_us: number }),
    what: string,
  ): Row =>
    'skipped' in r
      ? { row: n, measure, result: r.skipped, target: '< 20 ms', verdict: 'n/a' }
      : {
          row: n,
          measure,
          result: `p50 ${r.p50} ms, p99 ${r.p99} ms; ${n1(r.cpu_us / 1000)} ms CPU/req (${r.responses} requests, 1 connection; ${what})`,
          target: '< 20 ms',
          verdict: verdict(r.p50 < 20),
        };
  return [
    row(
      9,
      'GET /training/load, 10 years of daily data',
      load,
      'skipped' in load ? '' : `${load.items} days, ${n0(load.activities)} activities`,
    ),
    row(
      10,
      'GET /missions/{id}/progress, 6-month mission',
      progress,
      'skipped' in progress ? '' : `${progress.items} days`,
    ),
  ];
}

/** Row 11: the server time of one 4-hour FIT upload at a time, and its event loop meanwhile. */
function uploadRowOf(m: Measurements): Row {
  const measure = 'POST /activities/upload, 4-hour 1-Hz FIT ride';
  const target = 'p50 < 150 ms, loop < 50 ms';
  const r = m.upload;
  if ('skipped' in r) {
    return { row: 11, measure, result: r.skipped, target, verdict: 'n/a' };
  }
  return {
    row: 11,
    measure,
    result:
      `p50 ${r.p50} ms, p99 ${r.p99} ms; ${n1(r.cpu_us / 1000)} ms CPU/upload (main thread ${n1(r.main_thread_cpu_us / 1000)} ms); event loop max ${n1(r.event_loop_max_ms)} ms, ` +
      `p99 ${n1(r.event_loop_p99_ms)} ms (idle ${n1(r.idle_event_loop_max_ms)} ms; ${r.responses} uploads, ${n0(r.records)} records, ${n0(r.bytes / 1024)} kB)`,
    target,
    verdict: verdict(r.p50 < 150 && r.event_loop_max_ms < 50),
  };
}

/** Row 14: 1,000 due briefings through the admin route against the fake LLM, /healthz meanwhile. */
function coachRowOf(m: Measurements): Row {
  const measure = '1,000 due briefings (POST /jobs/coach-runs), fake LLM, COACH_CONCURRENCY=8';
  const target = 'wall <= 1.2 x ideal';
  const r = m.coach;
  if ('skipped' in r) {
    return { row: 14, measure, result: r.skipped, target, verdict: 'n/a' };
  }
  return {
    row: 14,
    measure,
    result:
      `${n0(r.runs_created)} runs in ${n1(r.wall_ms / 1000)} s = ${n2(r.ratio)} x ideal (${n0(r.missions)} x ${r.llm_delay_ms} ms / ${r.concurrency} = ${n1(r.ideal_ms / 1000)} s); ` +
      `at most ${r.max_llm_requests_in_flight} LLM requests at once; /healthz meanwhile p50 ${r.healthz_during.p50} ms, p99 ${r.healthz_during.p99} ms`,
    target,
    verdict: verdict(r.ratio <= 1.2 && r.runs_created === r.missions),
  };
}

/** Lines under the table: answers that should have been successes and were not. */
export function notesOf(m: Measurements): string[] {
  return Object.entries(m.failures).map(
    ([phase, codes]) => `note: ${phase} got non-2xx answers ${JSON.stringify(codes)}`,
  );
}

export function formatTable(title: string, rows: Row[]): string {
  const header = ['#', 'measure', 'result', 'target', 'verdict'];
  const all = [header, ...rows.map((r) => [String(r.row), r.measure, r.result, r.target, r.verdict])];
  const widths = header.map((_, i) => Math.max(...all.map((c) => c[i].length)));
  const line = (c: string[]): string => `| ${c.map((v, i) => v.padEnd(widths[i])).join(' | ')} |`;
  const rule = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  return [title, '', line(all[0]), rule, ...all.slice(1).map(line)].join('\n');
}
