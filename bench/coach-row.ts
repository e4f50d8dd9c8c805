import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import type { FakeOpenAi } from '../test/helpers/fake-openai.server';
import { PROJECT_ROOT } from '../test/helpers/server-process';
import { type LoadResult, probe } from './load';
import type { Call } from './training-rows';

/** Row 14: the briefings of 1,000 due missions through POST /jobs/coach-runs, with /healthz probed meanwhile. */
export type CoachMeasurement =
  | {
      missions: number;
      runs_created: number;
      concurrency: number;
      llm_delay_ms: number;
      wall_ms: number;
      ideal_ms: number;
      ratio: number;
      max_llm_requests_in_flight: number;
      healthz_during: LoadResult;
    }
  | { skipped: string };

export interface CoachContext {
  base: string;
  wanted: (row: number) => boolean;
  setup: Call;
  databaseUrl: string;
  fake: FakeOpenAi;
  llmDelayMs: number;
  /** COACH_CONCURRENCY the server was started with. */
  concurrency: number;
}

export const COACH_MISSIONS = 1000;
const RIDERS = 10;
const SEED_PARALLEL = 8;
const PASSWORD = 'bench-password-123';

/** A fixed-offset zone where it is about noon now, so every mission's briefing is due. */
function noonZone(): string {
  const offset = ((12 - new Date().getUTCHours() + 36) % 24) - 12;
  return offset === 0 ? 'Etc/GMT' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
}

function isoDate(daysFromNow: number): string {
  return new Date(Date.now() + daysFromNow * 86_400_000).toISOString().slice(0, 10);
}

/** An admin made with the admin command line on the server's database, logged in. */
async function adminToken(ctx: CoachContext): Promise<string> {
  const email = `bench.coach.admin.${Date.now()}@example.com`;
  const made = spawnSync(
    process.execPath,
    [path.join(PROJECT_ROOT, 'dist/src/cli/user-create.js'), '--email', email, '--admin', '--password', PASSWORD],
    {
      env: { ...process.env, DATABASE_URL: ctx.databaseUrl, NODE_ENV: 'development', LOG_LEVEL: 'warn' },
      encoding: 'utf8',
    },
  );
  if (made.status !== 0) {
    throw new Error(`user:create failed: ${made.stderr}`);
  }
  const login = await ctx.setup('POST', '/auth/login', { email, password: PASSWORD });
  return login.body.access_token as string;
}

export async function measureCoach(ctx: CoachContext): Promise<CoachMeasurement> {
  if (!ctx.wanted(14)) {
    return { skipped: 'not run (--rows)' };
  }
  console.error(`row 14: ${COACH_MISSIONS} due briefings, COACH_CONCURRENCY=${ctx.concurrency}`);
  const admin = await adminToken(ctx);
  const probeRoute = await ctx.setup('POST', '/jobs/coach-runs', undefined, admin);
  if (probeRoute.status === 404) {
    return { skipped: 'POST /jobs/coach-runs is not in this build' };
  }
  const timezone = noonZone();
  const bodies: Array<{ token: string }> = [];
  for (let r = 0; r < RIDERS; r++) {
    const email = `bench.coach.${Date.now()}.${r}@example.com`;
    await ctx.setup('POST', '/auth/register', { email, password: PASSWORD });
    const token = (await ctx.setup('POST', '/auth/login', { email, password: PASSWORD })).body.access_token as string;
    for (let m = 0; m < COACH_MISSIONS / RIDERS; m++) {
      bodies.push({ token });
    }
  }
  const mission = {
    name: 'Bench Gran Fondo',
    mission_type: 'gran_fondo',
    event_start_date: isoDate(60),
    event_end_date: isoDate(60),
    points_schema: {},
    timezone,
    constraints: { min_tsb: -20, min_readiness: 60, max_weekly_hours: 12 },
  };
  for (let i = 0; i < bodies.length; i += SEED_PARALLEL) {
    await Promise.all(
      bodies.slice(i, i + SEED_PARALLEL).map(async ({ token }) => {
        const made = await ctx.setup('POST', '/missions', mission, token);
        const moved = await ctx.setup(
          'POST',
          `/missions/${String(made.body.id)}/transition`,
          { target_state: 'TRAINING' },
          token,
        );
        if (made.status !== 201 || moved.status !== 200) {
          throw new Error(`seeding missions failed: ${made.status} ${moved.status}`);
        }
      }),
    );
  }
  ctx.fake.reset();
  const prober = probe(`${ctx.base}/healthz`, 50);
  const started = performance.now();
  const answer = await ctx.setup('POST', '/jobs/coach-runs', undefined, admin);
  const wall = performance.now() - started;
  const healthz = await prober.stop();
  if (answer.status !== 200) {
    throw new Error(`POST /jobs/coach-runs answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  }
  const ideal = (COACH_MISSIONS * ctx.llmDelayMs) / ctx.concurrency;
  return {
    missions: COACH_MISSIONS,
    runs_created: Number(answer.body.runs_created),
    concurrency: ctx.concurrency,
    llm_delay_ms: ctx.llmDelayMs,
    wall_ms: Math.round(wall),
    ideal_ms: ideal,
    ratio: Math.round((wall / ideal) * 100) / 100,
    max_llm_requests_in_flight: ctx.fake.maxInFlight,
    healthz_during: healthz,
  };
}
