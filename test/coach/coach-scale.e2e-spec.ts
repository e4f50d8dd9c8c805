import { SchedulerRegistry } from '@nestjs/schedule';
import { randomUUID } from 'node:crypto';
import { CoachDelivery } from '../../src/coach/coach-delivery.entity';
import { CoachRun } from '../../src/coach/coach-run.entity';
import { COACH_TICK_INTERVAL, CoachSchedulerService } from '../../src/coach/coach-scheduler.service';
import { MailOutboxRecord } from '../../src/mail/mail-outbox.entity';
import { MailOutboxWorker } from '../../src/mail/mail-outbox.worker';
import { Mission } from '../../src/missions/mission.entity';
import { registerAndLogin, type LoggedIn } from '../helpers/auth';
import { TestClock } from '../helpers/clock';
import { startFakeOpenAi, type FakeOpenAi } from '../helpers/fake-openai.server';
import { emlMails, eventually } from '../helpers/mail';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { IsNull, Like, Not } from 'typeorm';

const EMAIL_PREFS = { channel: 'email', morning_briefing: true, evening_summary: false, weekly_review: false };

/** `count` missions of the user in TRAINING, inserted straight into the table (what 2,000 requests would make). */
async function seedMissions(t: TestApp, userId: number, count: number, prefs: object | null = null): Promise<string[]> {
  const now = new Date();
  const rows = Array.from({ length: count }, (_, i) => ({
    id: randomUUID(),
    userId,
    name: `Mission ${i}`,
    missionType: 'gran_fondo',
    eventStartDate: '2030-06-01',
    eventEndDate: '2030-06-01',
    prepStartDate: null,
    prepEndDate: null,
    state: 'TRAINING' as const,
    pointsSchema: {},
    timezone: 'UTC',
    constraints: { min_tsb: -20, min_readiness: 60, max_weekly_hours: 12 },
    notificationPreferences: prefs,
    createdAt: new Date(now.getTime() + i),
    updatedAt: now,
  }));
  for (let i = 0; i < rows.length; i += 100) {
    await t.db.getRepository(Mission).insert(rows.slice(i, i + 100));
  }
  return rows.map((r) => r.id);
}

const runsOn = (t: TestApp, date: string): Promise<number> => t.db.getRepository(CoachRun).countBy({ date });

describe('coach runs at scale: 1,000 due missions stay within COACH_CONCURRENCY at the model (e2e)', () => {
  const CONCURRENCY = 4;
  const MISSIONS = 1000;
  let fake: FakeOpenAi;
  let t: TestApp;
  let rider: LoggedIn;
  let admin: LoggedIn;
  const clock = new TestClock('2030-03-04T03:00:00.000Z');

  beforeAll(async () => {
    fake = await startFakeOpenAi({ kind: 'delay', ms: 25, then: { kind: 'plan' } });
    t = await createTestApp(
      {
        OPENAI_API_KEY: 'sk-test-scale',
        OPENAI_BASE_URL: fake.url,
        COACH_CONCURRENCY: String(CONCURRENCY),
        ENABLE_COACH_SCHEDULER: 'true',
      },
      { overrides: [clock.override] },
    );
    rider = await registerAndLogin(t.http);
    admin = await registerAndLogin(t.http, { admin: true, db: t.db });
    await seedMissions(t, rider.id, MISSIONS);
    // The tests tick by hand: the minute's own tick, landing during the admin route's run, would queue
    // jobs for the same missions and make some of the runs the route is counting.
    t.app.get(SchedulerRegistry).deleteInterval(COACH_TICK_INTERVAL);
  }, 60_000);
  afterAll(async () => {
    await t.close();
    await fake.close();
  });

  it('queues one job per due mission, and the worker makes every run with at most COACH_CONCURRENCY model calls at once', async () => {
    fake.reset();
    clock.set('2030-03-05T07:00:00.000Z');
    const scheduler = t.app.get(CoachSchedulerService);
    await Promise.all([scheduler.tick(), scheduler.tick()]);
    await eventually(async () => ((await runsOn(t, '2030-03-05')) === MISSIONS ? true : undefined), 90_000, 'the runs');
    expect(fake.maxInFlight).toBeLessThanOrEqual(CONCURRENCY);
    expect(fake.maxInFlight).toBeGreaterThan(1);
    expect(fake.requests).toHaveLength(MISSIONS);
    // Nothing is due any more: another tick queues nothing and calls no model.
    await scheduler.tick();
    expect(fake.requests).toHaveLength(MISSIONS);
  }, 120_000);

  it('makes them all from the admin route too, within the same bound', async () => {
    fake.reset();
    clock.set('2030-03-06T07:00:00.000Z');
    const res = await t.http.post('/jobs/coach-runs').set(admin.auth).timeout(110_000).expect(200);
    expect(res.body).toEqual({ status: 'success', runs_created: MISSIONS });
    expect(await runsOn(t, '2030-03-06')).toBe(MISSIONS);
    expect(fake.maxInFlight).toBeLessThanOrEqual(CONCURRENCY);
    expect(fake.maxInFlight).toBeGreaterThan(1);
  }, 120_000);
});

describe('coach runs from two instances on one database (e2e)', () => {
  const MISSIONS = 30;
  let fake: FakeOpenAi;
  let a: TestApp;
  let b: TestApp;
  let rider: LoggedIn;
  let admin: LoggedIn;
  let ids: string[];
  const clock = new TestClock('2030-03-04T03:00:00.000Z');

  beforeAll(async () => {
    fake = await startFakeOpenAi({ kind: 'delay', ms: 20, then: { kind: 'plan' } });
    const env = { OPENAI_API_KEY: 'sk-test-two', OPENAI_BASE_URL: fake.url, ENABLE_COACH_SCHEDULER: 'true' };
    a = await createTestApp(env, { overrides: [clock.override] });
    b = await createTestApp(env, { overrides: [clock.override], database: a.database });
    rider = await registerAndLogin(a.http);
    admin = await registerAndLogin(a.http, { admin: true, db: a.db });
    ids = await seedMissions(a, rider.id, MISSIONS, EMAIL_PREFS);
  }, 60_000);
  afterAll(async () => {
    await b.close();
    await a.close();
    await fake.close();
  });

  it('makes one run and one morning mail per mission and day, whatever both instances do at once', async () => {
    clock.set('2030-03-05T08:00:00.000Z');
    const answers = await Promise.all([
      a.app.get(CoachSchedulerService).tick(),
      b.app.get(CoachSchedulerService).tick(),
      a.http.post('/jobs/coach-runs').set(admin.auth).expect(200),
      b.http.post('/jobs/coach-runs').set(admin.auth).expect(200),
      a.http.post('/jobs/coach-runs').set(admin.auth).expect(200),
    ]);
    const created = answers.slice(2).reduce((sum, res) => sum + (res ? (res.body.runs_created as number) : 0), 0);
    expect(created).toBeLessThanOrEqual(MISSIONS);
    await eventually(async () => ((await runsOn(a, '2030-03-05')) === MISSIONS ? true : undefined), 30_000, 'the runs');
    // The jobs both schedulers queued (once per key) find the runs made: let them and the mail drain.
    await eventually(
      async () =>
        (await a.db.getRepository(MailOutboxRecord).countBy({ subject: Like('Today:%'), sentAt: Not(IsNull()) })) ===
        MISSIONS
          ? true
          : undefined,
      30_000,
      'the mails',
    );
    await Promise.all([a.app.get(MailOutboxWorker).idle(), b.app.get(MailOutboxWorker).idle()]);

    const runs = await a.db.getRepository(CoachRun).findBy({ date: '2030-03-05' });
    expect(runs.map((r) => r.missionId).sort()).toEqual([...ids].sort());
    const deliveries = await a.db.getRepository(CoachDelivery).findBy({ date: '2030-03-05' });
    expect(deliveries.map((d) => d.missionId).sort()).toEqual([...ids].sort());
    expect(await a.db.getRepository(MailOutboxRecord).countBy({ subject: Like('Today:%') })).toBe(MISSIONS);
    const written = [...emlMails(a.config.LOG_DIR), ...emlMails(b.config.LOG_DIR)].filter((m) =>
      m.subject.startsWith('Today:'),
    );
    expect(written).toHaveLength(MISSIONS);
  }, 90_000);
});
