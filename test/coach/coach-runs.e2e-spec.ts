import * as fs from 'node:fs';
import * as path from 'node:path';
import { todayUtc } from '../../src/common/calendar';
import { registerAndLogin, type LoggedIn } from '../helpers/auth';
import { TestClock } from '../helpers/clock';
import { coachedMission, type CoachRunJson, modelPlan } from '../helpers/coach';
import { startFakeOpenAi, type FakeOpenAi } from '../helpers/fake-openai.server';
import { auditRowsOf, createMission } from '../helpers/missions';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { postActivity } from '../helpers/training';
import { utcDate } from '../helpers/dates';

const RUN_KEYS = [
  'id',
  'mission_id',
  'date',
  'status',
  'phase',
  'load',
  'recommendation',
  'model_used',
  'prompt_tokens',
  'completion_tokens',
  'created_at',
];

describe('coach runs: routes, the model, the rules and the fallback (e2e)', () => {
  let fake: FakeOpenAi;
  let t: TestApp;
  let rider: LoggedIn;
  let other: LoggedIn;
  let admin: LoggedIn;
  const clock = new TestClock(`${todayUtc()}T12:00:00.000Z`);
  const today = todayUtc();

  beforeAll(async () => {
    fake = await startFakeOpenAi({ kind: 'json', body: modelPlan() });
    t = await createTestApp(
      { OPENAI_API_KEY: 'sk-test-coach-key-123456', OPENAI_BASE_URL: fake.url, OPENAI_TIMEOUT_MS: '2000' },
      { overrides: [clock.override] },
    );
    rider = await registerAndLogin(t.http);
    other = await registerAndLogin(t.http);
    admin = await registerAndLogin(t.http, { admin: true, db: t.db });
  });
  afterAll(async () => {
    await t.close();
    await fake.close();
  });
  beforeEach(() => {
    fake.reset();
    fake.setDefault({ kind: 'json', body: modelPlan() });
    clock.set(`${today}T12:00:00.000Z`);
  });

  const postRun = (missionId: string, body?: object, who: LoggedIn = rider) =>
    t.http.post(`/missions/${missionId}/runs`).set(who.auth).send(body);

  it("makes today's run (201), answers it again (200), replaces it on regenerate (201, new id)", async () => {
    const mission = await coachedMission(t.http, rider.auth, {
      event_start_date: utcDate(30),
      event_end_date: utcDate(30),
      constraints: { min_tsb: -30, min_readiness: 10, max_weekly_hours: 20 },
    });
    const first = await postRun(mission.id).set('X-Request-Id', 'coach-run-1').expect(201);
    const run = first.body as CoachRunJson;
    expect(Object.keys(run).sort()).toEqual([...RUN_KEYS].sort());
    expect(run).toMatchObject({
      mission_id: mission.id,
      date: today,
      status: 'succeeded',
      phase: 'build',
      load: { ctl: 0, atl: 0, tsb: 0, readiness: null },
      recommendation: modelPlan(),
      model_used: 'gpt-4o-mini',
      prompt_tokens: 120,
      completion_tokens: 80,
    });
    expect(run.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(run.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(await auditRowsOf(t.db, 'coach-run-1')).toEqual([
      expect.objectContaining({
        action: 'coach_run.create',
        status_code: 201,
        user_id: rider.id,
        resource_id: mission.id,
      }),
    ]);

    const again = await postRun(mission.id, {}).expect(200);
    expect(again.body).toEqual(run);
    expect(fake.requests).toHaveLength(1);

    const replaced = await postRun(mission.id, { regenerate: true }).expect(201);
    expect(replaced.body.id).not.toBe(run.id);
    expect(replaced.body.date).toBe(today);

    const list = await t.http.get(`/missions/${mission.id}/runs`).set(rider.auth).expect(200);
    expect(list.body).toEqual([replaced.body]);
    const one = await t.http.get(`/missions/${mission.id}/runs/${today}`).set(rider.auth).expect(200);
    expect(one.body).toEqual(replaced.body);
  });

  it('sends the model the facts with a strict structured-output schema', async () => {
    const mission = await coachedMission(t.http, rider.auth, { name: 'Unbound Gravel 200 Mission' });
    await postRun(mission.id).expect(201);
    const [request] = fake.requests;
    expect(request.body.temperature).toBe(0.7);
    expect(request.body.response_format).toMatchObject({
      type: 'json_schema',
      json_schema: { name: 'coach_recommendation', strict: true },
    });
    const schema = request.body.response_format?.json_schema?.schema as Record<string, unknown>;
    expect(schema.required).toEqual(['workout_type', 'duration_minutes', 'target_zone', 'summary', 'rationale']);
    const user = request.body.messages?.find((m) => m.role === 'user')?.content ?? '';
    const facts = JSON.parse(/<<<FACTS_JSON\n([\s\S]*?)\nFACTS_JSON>>>/.exec(user)?.[1] ?? '{}') as Record<
      string,
      unknown
    >;
    expect(facts).toMatchObject({
      date: today,
      mission: { name: 'Unbound Gravel 200 Mission', type: 'gravel_ultra' },
      phase: 'base',
      load: { ctl: 0, atl: 0, tsb: 0 },
      readiness: null,
      constraints: { min_tsb: -12, min_readiness: 70, max_weekly_hours: 12 },
    });
    expect(facts.last_7_days).toHaveLength(7);
  });

  it('lists newest first with skip and limit, and answers 404/422/403 like the other mission routes', async () => {
    const mission = await coachedMission(t.http, rider.auth);
    for (const date of [utcDate(-2), utcDate(-1), today]) {
      clock.set(`${date}T12:00:00.000Z`);
      await postRun(mission.id).expect(201);
    }
    const all = await t.http.get(`/missions/${mission.id}/runs`).set(rider.auth).expect(200);
    expect(all.body.map((r: CoachRunJson) => r.date)).toEqual([today, utcDate(-1), utcDate(-2)]);
    const page = await t.http.get(`/missions/${mission.id}/runs?skip=1&limit=1`).set(rider.auth).expect(200);
    expect(page.body.map((r: CoachRunJson) => r.date)).toEqual([utcDate(-1)]);
    await t.http.get(`/missions/${mission.id}/runs?limit=101`).set(rider.auth).expect(422);
    expect(
      (
        await t.http
          .get(`/missions/${mission.id}/runs/${utcDate(-9)}`)
          .set(rider.auth)
          .expect(404)
      ).body.code,
    ).toBe('coach_run_not_found');
    await t.http.get(`/missions/${mission.id}/runs/2030-02-30`).set(rider.auth).expect(422);
    expect((await t.http.get(`/missions/${mission.id}/runs`).set(other.auth).expect(403)).body.code).toBe(
      'mission_forbidden',
    );
    await t.http.get(`/missions/${mission.id}/runs/${today}`).set(other.auth).expect(403);
    await postRun(mission.id, {}, other).expect(403);
    expect((await t.http.get('/missions/not-a-uuid/runs').set(rider.auth).expect(404)).body.code).toBe(
      'mission_not_found',
    );
    await t.http.get(`/missions/${mission.id}/runs`).expect(403);
    await postRun(mission.id, { regenerate: 'yes' }).expect(422);
    await postRun(mission.id, { extra: 1 }).expect(422);
  });

  it('answers 409 for a mission that is not coached (PREP, MISSION_COMPLETE)', async () => {
    const prep = await createMission(t.http, rider.auth);
    expect((await postRun(prep.id).expect(409)).body.code).toBe('mission_not_coached');
    const done = await coachedMission(t.http, rider.auth, {}, ['TRAINING', 'EVENT_ACTIVE', 'MISSION_COMPLETE']);
    await postRun(done.id).expect(409);
  });

  it("lets the rules overrule the model: low readiness makes the model's VO2max a recovery ride, and says so", async () => {
    const mission = await coachedMission(t.http, rider.auth, {
      constraints: { min_tsb: -30, min_readiness: 70, max_weekly_hours: 20 },
    });
    await t.http.put(`/wellness/${today}`).set(rider.auth).send({ readiness: 52 }).expect(200);
    const run = (await postRun(mission.id).expect(201)).body as CoachRunJson;
    expect(run.status).toBe('succeeded');
    expect(run.load.readiness).toBe(52);
    expect(run.recommendation).toMatchObject({ workout_type: 'recovery', target_zone: 1, duration_minutes: 60 });
    expect(run.recommendation.summary).toBe('60 minutes of easy spinning in zone 1: no efforts, just loosen the legs.');
    expect(run.recommendation.rationale).toBe(
      `${modelPlan().rationale} Rules applied: Because your readiness (52) is below this mission's minimum of 70, the planned VO2max session became a recovery ride.`,
    );
    await t.http.delete(`/wellness/${today}`).set(rider.auth).expect(204);
  });

  it('lets the rules cut the minutes to what is left of max_weekly_hours, and keeps nothing above threshold in taper', async () => {
    const cyclist = await registerAndLogin(t.http);
    await postActivity(t.http, cyclist.auth, { start_time: `${today}T00:00:00.000Z`, duration_s: 6600 });
    const mission = await coachedMission(t.http, cyclist.auth, {
      event_start_date: utcDate(5),
      event_end_date: utcDate(5),
      constraints: { min_tsb: -100, min_readiness: 0, max_weekly_hours: 2 },
    });
    const run = (await postRun(mission.id, {}, cyclist).expect(201)).body as CoachRunJson;
    expect(run.phase).toBe('taper');
    expect(run.recommendation).toMatchObject({ workout_type: 'threshold', target_zone: 4, duration_minutes: 10 });
    expect(run.recommendation.rationale).toContain('You are tapering (5 days to the event): nothing above threshold');
    expect(run.recommendation.rationale).toContain('Only 10 minutes are left of your limit of 2 hours a week');
  });

  it('falls back to the rules alone when the model errors, and logs every attempt under logs/coach/ redacted', async () => {
    fake.setDefault({ kind: 'status', status: 500 });
    const mission = await coachedMission(t.http, rider.auth, {
      name: 'Paris Brest Paris Secret Edition',
      event_start_date: utcDate(60),
      event_end_date: utcDate(61),
    });
    const run = (await postRun(mission.id).expect(201)).body as CoachRunJson;
    expect(run).toMatchObject({ status: 'fallback', model_used: null, phase: 'base', prompt_tokens: 0 });
    expect(run.recommendation).toMatchObject({ workout_type: 'endurance', duration_minutes: 90, target_zone: 2 });
    expect(run.recommendation.rationale).toMatch(/^The coach model was not available this morning/);
    expect(fake.requests).toHaveLength(1);

    const dir = path.join(t.config.LOG_DIR, 'coach');
    const logs = fs
      .readdirSync(dir)
      .map((name) => fs.readFileSync(path.join(dir, name), 'utf8'))
      .filter((text) => text.includes('Paris ... Edition'));
    expect(logs.length).toBeGreaterThan(0);
    const record = JSON.parse(logs[logs.length - 1]) as Record<string, unknown>;
    expect(Object.keys(record)).toEqual([
      'timestamp',
      'model',
      'attempt',
      'temperature',
      'response_format',
      'outcome',
      'duration_ms',
      'prompt_tokens',
      'completion_tokens',
      'messages',
      'reply',
      'problems',
      'error',
    ]);
    expect(record.outcome).toBe('upstream_error');
    for (const text of fs.readdirSync(dir).map((name) => fs.readFileSync(path.join(dir, name), 'utf8'))) {
      expect(text).not.toContain('Brest Paris Secret');
      expect(text).not.toContain('sk-test-coach-key');
    }
  });

  it('retries an invalid reply once at temperature 0, then falls back', async () => {
    const mission = await coachedMission(t.http, rider.auth);
    fake.enqueue(
      { kind: 'json', body: modelPlan({ workout_type: 'rest' }) },
      { kind: 'text', content: 'Ride hard today!' },
    );
    const run = (await postRun(mission.id).expect(201)).body as CoachRunJson;
    expect(run.status).toBe('fallback');
    expect(fake.requests.map((r) => r.body.temperature)).toEqual([0.7, 0]);
    expect(fake.requests[1].body.messages?.at(-1)?.content).toContain(
      'duration_minutes must be 0 when workout_type is rest',
    );
    expect(run.prompt_tokens).toBe(240);

    fake.enqueue(
      { kind: 'text', content: 'oops' },
      { kind: 'json', body: modelPlan({ workout_type: 'endurance', target_zone: 2 }) },
    );
    const fixed = (await postRun(mission.id, { regenerate: true }).expect(201)).body as CoachRunJson;
    expect(fixed).toMatchObject({ status: 'succeeded', recommendation: { workout_type: 'endurance' } });
  });

  it('makes every due run from the admin route, once: runs_created counts new runs only', async () => {
    await t.http.post('/jobs/coach-runs').set(rider.auth).set('X-Request-Id', 'coach-job-403').expect(403);
    expect(await auditRowsOf(t.db, 'coach-job-403')).toEqual([
      expect.objectContaining({ action: 'jobs.coach_runs', status_code: 403 }),
    ]);
    const fresh = await registerAndLogin(t.http);
    const missions = [
      await coachedMission(t.http, fresh.auth),
      await coachedMission(t.http, fresh.auth, {}, ['TRAINING', 'EVENT_ACTIVE']),
    ];
    await createMission(t.http, fresh.auth);
    const first = await t.http.post('/jobs/coach-runs').set(admin.auth).expect(200);
    expect(first.body.status).toBe('success');
    expect(first.body.runs_created).toBeGreaterThanOrEqual(2);
    for (const mission of missions) {
      const runs = await t.http.get(`/missions/${mission.id}/runs`).set(fresh.auth).expect(200);
      expect(runs.body).toHaveLength(1);
    }
    expect((await t.http.post('/jobs/coach-runs').set(admin.auth).expect(200)).body).toEqual({
      status: 'success',
      runs_created: 0,
    });
  });

  it('makes nothing before COACH_BRIEFING_HOUR in the mission zone', async () => {
    const early = await registerAndLogin(t.http);
    const mission = await coachedMission(t.http, early.auth);
    clock.set(`${today}T05:59:59.000Z`);
    await t.http.post('/jobs/coach-runs').set(admin.auth).expect(200);
    expect((await t.http.get(`/missions/${mission.id}/runs`).set(early.auth).expect(200)).body).toEqual([]);
    clock.set(`${today}T06:00:00.000Z`);
    await t.http.post('/jobs/coach-runs').set(admin.auth).expect(200);
    expect((await t.http.get(`/missions/${mission.id}/runs`).set(early.auth).expect(200)).body).toHaveLength(1);
  });
});

describe('coach runs without a model configured (e2e)', () => {
  let t: TestApp;
  let rider: LoggedIn;

  beforeAll(async () => {
    t = await createTestApp({ OPENAI_API_KEY: '' });
    rider = await registerAndLogin(t.http);
  });
  afterAll(async () => {
    await t.close();
  });

  it('still makes the briefing from the rules alone, status fallback, model_used null', async () => {
    const mission = await coachedMission(t.http, rider.auth, {
      event_start_date: utcDate(15),
      event_end_date: utcDate(15),
    });
    const run = (await t.http.post(`/missions/${mission.id}/runs`).set(rider.auth).expect(201)).body as CoachRunJson;
    expect(run).toMatchObject({
      status: 'fallback',
      model_used: null,
      phase: 'peak',
      prompt_tokens: 0,
      completion_tokens: 0,
    });
    expect(run.recommendation).toMatchObject({ workout_type: 'vo2max', duration_minutes: 60, target_zone: 5 });
    const [log] = fs.readdirSync(path.join(t.config.LOG_DIR, 'coach'));
    expect(JSON.parse(fs.readFileSync(path.join(t.config.LOG_DIR, 'coach', log), 'utf8'))).toMatchObject({
      outcome: 'not_configured',
    });
  });
});
