import { type LoadResult, runAmount } from './load';

/** Rows 9 and 10: the training-load series of ten years, and the progress of a six-month mission. */
export interface TrainingMeasurements {
  load: (LoadResult & { days: number; activities: number; items: number; cpu_us: number }) | { skipped: string };
  progress: (LoadResult & { days: number; items: number; cpu_us: number }) | { skipped: string };
}

/** One HTTP request of the bench's setup: its status and parsed body. */
export type Call = (
  method: string,
  route: string,
  body?: unknown,
  token?: string,
) => Promise<{ status: number; body: Record<string, unknown> }>;

export interface TrainingContext {
  base: string;
  wanted: (row: number) => boolean;
  /** A setup request, counted as received (row 7). */
  setup: Call;
  /** Records a measured run's answers (row 7, and non-2xx notes). */
  audited: (name: string, ...results: LoadResult[]) => void;
  /** Requests per measured row. */
  requests: number;
  /** The server process's CPU time so far, in ms (steady whatever else runs on the machine). */
  cpuMs: () => number;
  /** The same for the server's main thread (its event loop) alone. */
  mainThreadCpuMs: () => number;
}

/** One retry of a request that failed in transport (a pooled socket the server had closed), never of an answer. */
function retryOnce(call: Call): Call {
  return (method, route, body, token) => call(method, route, body, token).catch(() => call(method, route, body, token));
}

export const LOAD_DAYS = 3650;
const MISSION_DAYS = 183;
const SEED_PARALLEL = 8;

function isoDate(daysFromToday: number): string {
  return new Date(Date.now() + daysFromToday * 86_400_000).toISOString().slice(0, 10);
}

/**
 * One rider with ten years of daily data: an activity on five days out of six (about 3,040), each a
 * manual entry with its own NP, seeded through the API like any client would.
 */
async function seedRider(ctx: TrainingContext): Promise<{ token: string; activities: number } | { skipped: string }> {
  const email = `bench.training.${Date.now()}@example.com`;
  const password = 'bench-password-123';
  await ctx.setup('POST', '/auth/register', { email, password });
  const login = await ctx.setup('POST', '/auth/login', { email, password });
  const token = login.body.access_token as string;
  const athlete = await ctx.setup('PUT', '/athlete', { ftp: 250, ftp_effective_from: isoDate(-LOAD_DAYS) }, token);
  if (athlete.status === 404) {
    return { skipped: 'PUT /athlete is not in this build' };
  }
  const bodies: unknown[] = [];
  for (let d = LOAD_DAYS; d >= 1; d--) {
    if (d % 6 === 0) {
      continue;
    }
    bodies.push({
      name: 'Bench ride',
      sport: 'ride',
      start_time: `${isoDate(-d)}T07:00:00.000Z`,
      duration_s: 2700 + (d % 5) * 900,
      normalized_power: 150 + (d % 11) * 10,
      avg_hr: 140,
    });
  }
  for (let i = 0; i < bodies.length; i += SEED_PARALLEL) {
    const answers = await Promise.all(
      bodies.slice(i, i + SEED_PARALLEL).map((body) => ctx.setup('POST', '/activities', body, token)),
    );
    const failed = answers.find((a) => a.status !== 201);
    if (failed) {
      throw new Error(`seeding activities failed: ${failed.status} ${JSON.stringify(failed.body)}`);
    }
  }
  return { token, activities: bodies.length };
}

export async function measureTraining(ctx: TrainingContext): Promise<TrainingMeasurements> {
  const notRun = { skipped: 'not run (--rows)' };
  if (!ctx.wanted(9) && !ctx.wanted(10)) {
    return { load: notRun, progress: notRun };
  }
  console.error(`rows 9-10: seeding ${LOAD_DAYS} days of activities through the API`);
  // The bench's event loop was just blocked (row 4's hash measurement runs synchronously): let the HTTP
  // client see the keep-alive sockets the server closed meanwhile, or its first request fails on one.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const rider = await seedRider({ ...ctx, setup: retryOnce(ctx.setup) });
  if ('skipped' in rider) {
    return { load: rider, progress: rider };
  }
  const auth = { authorization: `Bearer ${rider.token}` };
  // One connection: the time of one request on an otherwise idle server, not a queue.
  const latency = async (path: string, name: string): Promise<LoadResult & { items: number; cpu_us: number }> => {
    const sample = await ctx.setup('GET', path, undefined, rider.token);
    const items = Array.isArray(sample.body) ? sample.body.length : ((sample.body.days as unknown[])?.length ?? 0);
    await runAmount(`${ctx.base}${path}`, 50, { connections: 1, headers: auth }).then((r) => ctx.audited(name, r));
    const cpu0 = ctx.cpuMs();
    const r = await runAmount(`${ctx.base}${path}`, ctx.requests, { connections: 1, headers: auth });
    const cpu_us = ((ctx.cpuMs() - cpu0) * 1000) / Math.max(1, r.responses);
    ctx.audited(name, r);
    return { ...r, items, cpu_us };
  };

  let load: TrainingMeasurements['load'] = notRun;
  if (ctx.wanted(9)) {
    console.error('row 9: GET /training/load over ten years');
    const r = await latency(`/training/load?from=${isoDate(-(LOAD_DAYS - 1))}&to=${isoDate(0)}`, 'training/load');
    load = { ...r, days: LOAD_DAYS, activities: rider.activities };
  }

  let progress: TrainingMeasurements['progress'] = notRun;
  if (ctx.wanted(10)) {
    const mission = await ctx.setup(
      'POST',
      '/missions',
      {
        name: 'Bench season',
        mission_type: 'road_century',
        prep_start_date: isoDate(-(MISSION_DAYS - 1)),
        event_start_date: isoDate(30),
        event_end_date: isoDate(30),
        points_schema: { daily_base: 20, intensity_multipliers: { easy: 1, moderate: 1.5, hard: 2 } },
        constraints: { min_tsb: -20, min_readiness: 60, max_weekly_hours: 10 },
        timezone: 'UTC',
      },
      rider.token,
    );
    console.error('row 10: GET /missions/{id}/progress for a six-month mission');
    const r = await latency(`/missions/${String(mission.body.id)}/progress`, 'missions/progress');
    progress = { ...r, days: MISSION_DAYS };
  }
  return { load, progress };
}
