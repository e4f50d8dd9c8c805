import type { BenchArgs } from './args';
import { amountFor, type LoadOptions, type LoadResult, ok, probe, runAmount } from './load';
import type { FakeOpenAi } from '../test/helpers/fake-openai.server';
import { COACH_CONCURRENCY_BENCH } from './args';
import { type CoachMeasurement, measureCoach } from './coach-row';
import { measureTraining, type TrainingMeasurements } from './training-rows';
import { measureUpload, type UploadMeasurement } from './upload-row';
import { type AppProcess, type BenchDatabase, type CorePlan, measureHashOnServerCores, sumCounter } from './target';

/** Routes that write no audit row by contract; everything else a request reached is auditable. */
const EXEMPT_ROUTES = new Set(['/', '/healthz', '/readyz', '/metrics']);
const isAuditableRoute = (route: string): boolean =>
  route !== 'unmatched' && !EXEMPT_ROUTES.has(route) && !/^\/(docs|redoc|openapi)/.test(route);

/**
 * A throughput run plus the server's own CPU time per response (steady even when the machine is shared);
 * for a row compared with the floor, the floor app's figures from rounds interleaved with its own.
 */
export type Throughput = LoadResult & {
  server_cpu_us_per_request: number;
  floor?: { rps: number; p99: number; server_cpu_us_per_request: number; rounds: number };
};

/** Requests that warm a row up before it is measured against the floor (the JIT settles over the first thousands). */
const WARM_UP = 5000;

/** Rounds of a row compared with the floor: floor, row, floor, row... (each a share of `--seconds`). */
const FLOOR_ROUNDS = 3;

/** Several runs as one: counts and time summed, p50 and p99 the median round's, the maximum the largest. */
function combined(runs: LoadResult[]): LoadResult {
  const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const statuses: Record<string, number> = {};
  for (const run of runs) {
    for (const [code, n] of Object.entries(run.statuses)) {
      statuses[code] = (statuses[code] ?? 0) + n;
    }
  }
  const responses = runs.reduce((sum, r) => sum + r.responses, 0);
  const seconds = runs.reduce((sum, r) => sum + r.seconds, 0);
  return {
    rps: seconds > 0 ? responses / seconds : 0,
    responses,
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    max: Math.max(...runs.map((r) => r.max)),
    statuses,
    errors: runs.reduce((sum, r) => sum + r.errors, 0),
    timeouts: runs.reduce((sum, r) => sum + r.timeouts, 0),
    seconds,
  };
}

/** Resident memory after `after[i]` requests, each read after a full GC, with the JS heap beside it. */
export interface MemorySamples {
  after: number[];
  rss_bytes: number[];
  heap_used_bytes: number[];
  rss_before_gc_bytes: number[];
  heap_used_before_gc_bytes: number[];
  growth_pct: number;
}

/** The bare Nest app of bench/floor/: its GET /healthz under the same load, its memory after as many requests. */
export interface FloorMeasurements {
  healthz: Throughput;
  memory: MemorySamples;
}

export interface Measurements {
  floor: FloorMeasurements | { skipped: string };
  healthz: Throughput | { skipped: string };
  usersMe: Throughput | { skipped: string };
  /** Row 15: GET /users/me at 50 connections, for its tail (p99 against p50, the maximum). */
  usersMeTail: (Throughput & { connections: number }) | { skipped: string };
  missions: Throughput | { skipped: string };
  /** Row 12: GET /missions for a rider with 10 missions. */
  missionsList: Throughput | { skipped: string };
  /** Row 13: POST /missions alone. */
  missionsCreate: Throughput | { skipped: string };
  hash: {
    cost: number;
    one_check_ms: number;
    median_ms: number;
    samples_ms: number[];
    server_cores: number;
    limit_per_s: number;
  };
  logins: Array<{ clients: number; result: LoadResult; logins_per_s: number; healthz_during: LoadResult }>;
  /** The same /healthz prober with nothing else running: what the machine gives before hashing starts. */
  healthzIdle?: LoadResult;
  /** Sampled right after a full GC (retained memory); `*_before_gc` is what a plain sample would have read. */
  memory: MemorySamples | { skipped: string };
  audit: { rows: number; served_by_server: number; received_by_bench: number };
  draft: (LoadResult & { overhead_p50_ms: number; llm_delay_ms: number }) | { skipped: string };
  /** Rows 9 and 10 (bench/training-rows.ts). */
  training: TrainingMeasurements;
  /** Row 11 (bench/upload-row.ts). */
  upload: UploadMeasurement;
  /** Row 14 (bench/coach-row.ts). */
  coach: CoachMeasurement;
  /** Non-2xx answers where every answer should have been a success, per row. */
  failures: Record<string, Record<string, number>>;
}

/** Row 15's connections: the issue's tail target is stated at 50. */
const TAIL_CONNECTIONS = 50;

const JSON_HEADERS = { 'content-type': 'application/json' };
const PASSWORD = 'bench-password-123';

function isoDate(daysFromNow: number): string {
  return new Date(Date.now() + daysFromNow * 86_400_000).toISOString().slice(0, 10);
}

async function call(
  url: string,
  method: string,
  body?: unknown,
  token?: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, {
    method,
    headers: { ...(body === undefined ? {} : JSON_HEADERS), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) as Record<string, unknown> };
  } catch {
    return { status: res.status, body: { text } };
  }
}

/** A route the app does not have answers Express's `Cannot POST /x` 404 (e.g. while a feature is unmerged). */
function routeMissing(res: { status: number; body: Record<string, unknown> }): boolean {
  return res.status === 404 && typeof res.body.detail === 'string' && res.body.detail.startsWith('Cannot ');
}

function nonSuccess(result: LoadResult): Record<string, number> {
  return Object.fromEntries(Object.entries(result.statuses).filter(([code]) => !code.startsWith('2')));
}

async function heapUsed(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return sumCounter(text, 'nodejs_heap_size_used_bytes', () => true);
}

/**
 * Sends `url` requests until `at[i]` have been sent in all and samples the process's RSS (and, when
 * `heap` is given, the JS heap) before and after a full GC each time.
 */
async function sampleMemory(
  app: AppProcess,
  url: string,
  at: number[],
  options: LoadOptions,
  heap: (() => Promise<number>) | undefined,
  onLoad: (r: LoadResult) => void = () => undefined,
): Promise<MemorySamples> {
  const m: MemorySamples = {
    after: [],
    rss_bytes: [],
    heap_used_bytes: [],
    rss_before_gc_bytes: [],
    heap_used_before_gc_bytes: [],
    growth_pct: 0,
  };
  let done = 0;
  for (const target of at) {
    onLoad(await runAmount(url, target - done, options));
    done = target;
    m.after.push(target);
    m.rss_before_gc_bytes.push(app.rss());
    m.heap_used_before_gc_bytes.push(heap ? await heap() : NaN);
    await app.collectGarbage();
    m.rss_bytes.push(app.rss());
    m.heap_used_bytes.push(heap ? await heap() : NaN);
  }
  m.growth_pct = ((m.rss_bytes[1] - m.rss_bytes[0]) / m.rss_bytes[0]) * 100;
  return m;
}

export async function benchmark(
  app: AppProcess,
  floorApp: AppProcess,
  db: BenchDatabase,
  args: BenchArgs,
  plan: CorePlan,
  fake: FakeOpenAi,
): Promise<Measurements> {
  const base = app.url;
  const wanted = (row: number): boolean => args.rows.includes(row);
  const notRun = { skipped: 'not run (--rows)' };
  /** `amount` requests, with the server's CPU time over them. */
  const measured = async (
    url: string,
    amount: number,
    options: LoadOptions,
    server: AppProcess,
  ): Promise<{ run: LoadResult; cpuMs: number }> => {
    const cpu0 = server.cpuMs();
    const run = await runAmount(url, amount, options);
    return { run, cpuMs: server.cpuMs() - cpu0 };
  };
  const perRequest = (cpuMs: number, responses: number): number => (cpuMs * 1000) / Math.max(1, responses);
  /**
   * About `--seconds` of load: a warm-up of 1,000 requests (JIT, caches) estimates the rate, then that many
   * seconds' worth is measured, with the server's CPU time over the measured part.
   */
  const throughput = async (
    url: string,
    options: LoadOptions,
    server: AppProcess = app,
  ): Promise<{ warm: LoadResult; main: Throughput }> => {
    const warm = await runAmount(url, 1000, options);
    const { run, cpuMs } = await measured(url, amountFor(warm, args.seconds, options), options, server);
    return { warm, main: { ...run, server_cpu_us_per_request: perRequest(cpuMs, run.responses) } };
  };
  /**
   * A row compared with the floor: after both warm up, FLOOR_ROUNDS rounds of the floor's GET /healthz and
   * then the row, each a share of `--seconds` under the same load, so that both see the same machine (a
   * neighbour's burst, the CPU's clock) and the ratio compares like with like.
   */
  const againstFloor = async (url: string, options: LoadOptions): Promise<{ warm: LoadResult; main: Throughput }> => {
    const floorUrl = `${floorApp.url}/healthz`;
    const floorOptions: LoadOptions = { connections: options.connections };
    const floorWarm = await runAmount(floorUrl, WARM_UP, floorOptions);
    const warm = await runAmount(url, WARM_UP, options);
    const share = args.seconds / FLOOR_ROUNDS;
    const floorRuns: Array<{ run: LoadResult; cpuMs: number }> = [];
    const runs: Array<{ run: LoadResult; cpuMs: number }> = [];
    for (let round = 0; round < FLOOR_ROUNDS; round++) {
      floorRuns.push(await measured(floorUrl, amountFor(floorWarm, share, floorOptions), floorOptions, floorApp));
      runs.push(await measured(url, amountFor(warm, share, options), options, app));
    }
    const sum = (xs: Array<{ cpuMs: number }>): number => xs.reduce((total, x) => total + x.cpuMs, 0);
    const floorRun = combined(floorRuns.map((x) => x.run));
    const run = combined(runs.map((x) => x.run));
    return {
      warm,
      main: {
        ...run,
        server_cpu_us_per_request: perRequest(sum(runs), run.responses),
        floor: {
          rps: floorRun.rps,
          p99: floorRun.p99,
          server_cpu_us_per_request: perRequest(sum(floorRuns), floorRun.responses),
          rounds: FLOOR_ROUNDS,
        },
      },
    };
  };
  let received = 0;
  const failures: Record<string, Record<string, number>> = {};
  const audited = (name: string, ...results: LoadResult[]): void => {
    for (const r of results) {
      received += r.responses;
      const bad = nonSuccess(r);
      if (Object.keys(bad).length > 0 || r.errors > 0) {
        failures[name] = { ...bad, ...(r.errors > 0 ? { errors: r.errors } : {}) };
      }
    }
  };
  const setup = async (method: string, route: string, body?: unknown, token?: string) => {
    received += 1;
    return call(`${base}${route}`, method, body, token);
  };
  /**
   * Why row `row` does not run: not asked for, or its first POST (a setup request) finds the route missing
   * from this build; undefined when it runs.
   */
  const skipReason = async (
    row: number,
    route: string,
    body: unknown,
    token: string,
  ): Promise<{ skipped: string } | undefined> => {
    if (!wanted(row)) {
      return notRun;
    }
    if (routeMissing(await setup('POST', route, body, token))) {
      received -= 1;
      return { skipped: `POST ${route} is not in this build` };
    }
    return undefined;
  };

  const email = `bench.${Date.now()}@example.com`;
  const registered = await setup('POST', '/auth/register', { email, password: PASSWORD });
  const login = await setup('POST', '/auth/login', { email, password: PASSWORD });
  if (registered.status !== 201 || login.status !== 200) {
    throw new Error(`setup failed: register ${registered.status}, login ${login.status} ${JSON.stringify(login.body)}`);
  }
  const token = login.body.access_token as string;
  const auth = { authorization: `Bearer ${token}` };
  const c = args.connections;

  let floor: Measurements['floor'] = notRun;
  if ([1, 2, 3, 6, 12, 13].some(wanted)) {
    console.error(`floor: bare Nest GET /healthz, then RSS after ${args.memoryAt.join(' and ')} requests`);
    const run = await throughput(`${floorApp.url}/healthz`, { connections: c }, floorApp);
    // The same number of requests as the API's row 6 sends, counting the floor's throughput run.
    const sent = run.warm.responses + run.main.responses;
    const at = args.memoryAt.map((n) => Math.max(n, sent + 1));
    floor = {
      healthz: run.main,
      memory: await sampleMemory(floorApp, `${floorApp.url}/healthz`, at, { connections: c }, undefined),
    };
  }

  let healthz: Measurements['healthz'] = notRun;
  if (wanted(1)) {
    console.error('row 1: GET /healthz');
    healthz = (await againstFloor(`${base}/healthz`, { connections: c })).main;
  }

  let memory: Measurements['memory'] = notRun;
  if (wanted(6)) {
    console.error(`row 6: RSS after ${args.memoryAt.join(' and ')} authenticated requests`);
    memory = await sampleMemory(
      app,
      `${base}/users/me`,
      args.memoryAt,
      { connections: c, headers: auth },
      () => heapUsed(base),
      (r) => audited('memory', r),
    );
  }

  let usersMe: Measurements['usersMe'] = notRun;
  if (wanted(2)) {
    console.error('row 2: GET /users/me');
    const me = await againstFloor(`${base}/users/me`, { connections: c, headers: auth });
    audited('users/me', me.warm, me.main);
    usersMe = me.main;
  }

  let usersMeTail: Measurements['usersMeTail'] = notRun;
  if (wanted(15)) {
    console.error(`row 15: GET /users/me at ${TAIL_CONNECTIONS} connections`);
    const me = await throughput(`${base}/users/me`, { connections: TAIL_CONNECTIONS, headers: auth });
    audited('users/me@50', me.warm, me.main);
    usersMeTail = { ...me.main, connections: TAIL_CONNECTIONS };
  }

  const missionBody = {
    name: 'Bench Century',
    mission_type: 'road_century',
    event_start_date: isoDate(120),
    event_end_date: isoDate(120),
    points_schema: { daily_base: 20 },
    timezone: 'UTC',
  };
  let missions: Measurements['missions'] | undefined = await skipReason(3, '/missions', missionBody, token);
  if (!missions) {
    const pair: LoadOptions = {
      connections: c,
      headers: auth,
      requests: [
        {
          method: 'POST',
          path: '/missions',
          headers: { ...auth, ...JSON_HEADERS },
          body: JSON.stringify(missionBody),
          onResponse: (status, body, context) => {
            context.id = status === 201 ? (JSON.parse(body) as { id: string }).id : 'not-created';
          },
        },
        {
          method: 'GET',
          headers: auth,
          setupRequest: (request, context) => ({ ...request, path: `/missions/${String(context.id)}` }),
        },
      ],
    };
    console.error('row 3: POST /missions + GET /missions/{id}');
    const run = await againstFloor(base, pair);
    audited('missions', run.warm, run.main);
    missions = run.main;
  }

  let missionsList: Measurements['missionsList'] = notRun;
  let missionsCreate: Measurements['missionsCreate'] = notRun;
  if (wanted(12) || wanted(13)) {
    // A rider of their own with exactly 10 missions, so the list stays 10 long whatever row 13 creates.
    const listEmail = `bench.list.${Date.now()}@example.com`;
    await setup('POST', '/auth/register', { email: listEmail, password: PASSWORD });
    const listLogin = await setup('POST', '/auth/login', { email: listEmail, password: PASSWORD });
    const listAuth = { authorization: `Bearer ${listLogin.body.access_token as string}` };
    const created = await skipReason(12, '/missions', missionBody, listLogin.body.access_token as string);
    if (wanted(12) && !created) {
      for (let i = 1; i < 10; i++) {
        await setup(
          'POST',
          '/missions',
          { ...missionBody, name: `Bench mission ${i}` },
          listLogin.body.access_token as string,
        );
      }
      console.error('row 12: GET /missions (10 missions)');
      const run = await againstFloor(`${base}/missions`, { connections: c, headers: listAuth });
      audited('missions list', run.warm, run.main);
      missionsList = run.main;
    } else if (created) {
      missionsList = created;
    }
    if (wanted(13)) {
      console.error('row 13: POST /missions');
      const run = await againstFloor(`${base}/missions`, {
        connections: c,
        method: 'POST',
        headers: { ...auth, ...JSON_HEADERS },
        body: JSON.stringify(missionBody),
      });
      audited('missions create', run.warm, run.main);
      missionsCreate = run.main;
    }
  }

  console.error(
    `row 4: password check at cost ${args.bcryptRounds} on the server's core(s), then logins at 8 and 32 clients`,
  );
  const measuredHash = measureHashOnServerCores(plan, args.bcryptRounds);
  const serverCores = plan.serverCores.length;
  const limit = serverCores / (measuredHash.min / 1000);
  const logins: Measurements['logins'] = [];
  let healthzIdle: LoadResult | undefined;
  if (wanted(4) || wanted(5)) {
    const idle = probe(`${base}/healthz`, 50);
    await new Promise((r) => setTimeout(r, Math.min(5, args.loginSeconds) * 1000));
    healthzIdle = await idle.stop();
  }
  for (const clients of wanted(4) || wanted(5) ? [8, 32] : []) {
    const amount = Math.ceil(Math.max(2 * clients, limit * args.loginSeconds) / clients) * clients;
    const prober = probe(`${base}/healthz`, 50);
    const result = await runAmount(`${base}/auth/login`, amount, {
      connections: clients,
      method: 'POST',
      headers: JSON_HEADERS,
      body: JSON.stringify({ email, password: PASSWORD }),
    });
    const during = await prober.stop();
    audited(`logins@${clients}`, result);
    logins.push({ clients, result, logins_per_s: ok(result) / result.seconds, healthz_during: during });
  }

  const draftBody = {
    event_name: 'Bench Gravel 200',
    event_date: isoDate(200),
    mission_type: 'gravel_ultra',
    weekly_hours: { min: 6, max: 10 },
    current_ftp: 250,
  };
  let draft: Measurements['draft'] | undefined = await skipReason(8, '/missions/draft', draftBody, token);
  if (!draft) {
    console.error('row 8: POST /missions/draft against the fake LLM');
    const r = await runAmount(`${base}/missions/draft`, args.drafts, {
      connections: 4,
      method: 'POST',
      headers: { ...auth, ...JSON_HEADERS },
      body: JSON.stringify(draftBody),
    });
    audited('draft', r);
    draft = { ...r, overhead_p50_ms: r.p50 - args.llmDelayMs, llm_delay_ms: args.llmDelayMs };
  }

  const trainingContext = {
    base,
    wanted,
    setup,
    audited,
    requests: args.drafts,
    cpuMs: () => app.cpuMs(),
    mainThreadCpuMs: () => app.mainThreadCpuMs(),
  };
  const training = await measureTraining(trainingContext);
  const upload = await measureUpload(trainingContext);
  const coach = await measureCoach({
    base,
    wanted,
    setup,
    databaseUrl: db.url,
    fake,
    llmDelayMs: args.llmDelayMs,
    concurrency: COACH_CONCURRENCY_BENCH,
  });

  console.error('row 7: audit rows vs auditable requests');
  const metrics = await (await fetch(`${base}/metrics`)).text();
  const served = sumCounter(metrics, 'http_requests_total', (l) => isAuditableRoute(l.route ?? 'unmatched'));
  const rows = await db.scalar('SELECT count(*) FROM audit_logs');

  return {
    floor,
    healthz,
    usersMe,
    usersMeTail,
    missions,
    missionsList,
    missionsCreate,
    hash: {
      cost: args.bcryptRounds,
      one_check_ms: measuredHash.min,
      median_ms: measuredHash.median,
      samples_ms: measuredHash.samples,
      server_cores: serverCores,
      limit_per_s: limit,
    },
    logins,
    healthzIdle,
    memory,
    audit: { rows, served_by_server: served, received_by_bench: received },
    draft,
    training,
    upload,
    coach,
    failures,
  };
}
