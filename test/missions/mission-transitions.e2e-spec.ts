import { SchedulerRegistry } from '@nestjs/schedule';
import { MISSION_TRANSITIONS_INTERVAL } from '../../src/missions/mission-scheduler.service';
import { MissionTransitionsService } from '../../src/missions/mission-transitions.service';
import { LoggedIn, registerAndLogin } from '../helpers/auth';
import { createTestApp, TestApp } from '../helpers/test-app';
import { auditRowsOf, createMission, MissionJson, moveThrough } from '../helpers/missions';
import { dateAtOffset, utcDate } from '../helpers/dates';

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

interface TransitionEntry {
  mission_id: string;
  mission_name: string;
  old_state: string;
  new_state: string;
  reason: string;
}

describe('mission transitions: the job and time zones (e2e)', () => {
  let t: TestApp;
  let rider: LoggedIn;
  let admin: LoggedIn;

  beforeAll(async () => {
    t = await createTestApp();
    rider = await registerAndLogin(t.http);
    admin = await registerAndLogin(t.http, { admin: true, db: t.db });
  });
  afterAll(async () => {
    await t.close();
  });

  /** A mission of `rider` in the given state, moved there by hand (the dates do not stop manual moves). */
  const missionIn = async (state: string, overrides: Record<string, unknown>): Promise<MissionJson> => {
    const mission = await createMission(t.http, rider.auth, { timezone: 'UTC', ...overrides });
    const path = ['TRAINING', 'EVENT_ACTIVE', 'MISSION_COMPLETE'];
    const steps = path.slice(0, path.indexOf(state) + 1);
    return steps.length > 0 ? moveThrough(t.http, rider.auth, mission.id, steps) : mission;
  };

  const runJob = async (
    app: TestApp = t,
    requestId?: string,
  ): Promise<{ status: string; transitions_performed: number; transitions: TransitionEntry[] }> => {
    const req = app.http.post('/jobs/check-mission-transitions').set(admin.auth);
    const res = await (requestId ? req.set('X-Request-Id', requestId) : req).expect(200);
    return res.body;
  };

  const stateOf = async (id: string, app: TestApp = t): Promise<string> =>
    (await app.http.get(`/missions/${id}`).set(rider.auth).expect(200)).body.state;

  it('is for admins only (403 otherwise, audited) and moves nothing when refused', async () => {
    const due = await missionIn('TRAINING', { event_start_date: utcDate(-1), event_end_date: utcDate(1) });
    const res = await t.http
      .post('/jobs/check-mission-transitions')
      .set(rider.auth)
      .set('X-Request-Id', 'job-403')
      .expect(403);
    expect(typeof res.body.detail).toBe('string');
    await t.http.post('/jobs/check-mission-transitions').expect(403);
    const rows = await auditRowsOf(t.db, 'job-403');
    expect(rows).toEqual([
      expect.objectContaining({ action: 'jobs.check_mission_transitions', status_code: 403, user_id: rider.id }),
    ]);
    expect(await stateOf(due.id)).toBe('TRAINING');
  });

  it('applies every due transition, two steps for one mission when both are due, and reports each', async () => {
    const starting = await missionIn('TRAINING', {
      name: 'starting',
      event_start_date: utcDate(0),
      event_end_date: utcDate(2),
    });
    const overdue = await missionIn('TRAINING', {
      name: 'overdue',
      event_start_date: utcDate(-5),
      event_end_date: utcDate(-3),
    });
    const ended = await missionIn('EVENT_ACTIVE', {
      name: 'ended',
      event_start_date: utcDate(-3),
      event_end_date: utcDate(-1),
    });
    const prep = await missionIn('PREP', { name: 'prep', event_start_date: utcDate(-5), event_end_date: utcDate(-3) });
    const future = await missionIn('TRAINING', {
      name: 'future',
      event_start_date: utcDate(1),
      event_end_date: utcDate(2),
    });
    const lastDay = await missionIn('EVENT_ACTIVE', {
      name: 'last day',
      event_start_date: utcDate(-1),
      event_end_date: utcDate(0),
    });
    const complete = await missionIn('MISSION_COMPLETE', {
      name: 'complete',
      event_start_date: utcDate(-9),
      event_end_date: utcDate(-8),
    });

    const body = await runJob(t, 'job-run-1');
    expect(body.status).toBe('success');
    expect(body.transitions_performed).toBe(body.transitions.length);
    const mine = new Set([starting, overdue, ended, prep, future, lastDay, complete].map((m) => m.id));
    const entries = body.transitions.filter((e) => mine.has(e.mission_id));
    expect(entries).toEqual([
      {
        mission_id: starting.id,
        mission_name: 'starting',
        old_state: 'TRAINING',
        new_state: 'EVENT_ACTIVE',
        reason: `event_start_date ${utcDate(0)} reached (today is ${utcDate(0)} in UTC)`,
      },
      expect.objectContaining({
        mission_id: overdue.id,
        mission_name: 'overdue',
        old_state: 'TRAINING',
        new_state: 'EVENT_ACTIVE',
      }),
      {
        mission_id: overdue.id,
        mission_name: 'overdue',
        old_state: 'EVENT_ACTIVE',
        new_state: 'MISSION_COMPLETE',
        reason: `event_end_date ${utcDate(-3)} passed (today is ${utcDate(0)} in UTC)`,
      },
      expect.objectContaining({ mission_id: ended.id, old_state: 'EVENT_ACTIVE', new_state: 'MISSION_COMPLETE' }),
    ]);
    expect(await stateOf(starting.id)).toBe('EVENT_ACTIVE');
    expect(await stateOf(overdue.id)).toBe('MISSION_COMPLETE');
    expect(await stateOf(ended.id)).toBe('MISSION_COMPLETE');
    expect(await stateOf(prep.id)).toBe('PREP');
    expect(await stateOf(future.id)).toBe('TRAINING');
    expect(await stateOf(lastDay.id)).toBe('EVENT_ACTIVE');
    expect(await stateOf(complete.id)).toBe('MISSION_COMPLETE');

    const rows = await auditRowsOf(t.db, 'job-run-1');
    expect(rows).toEqual([
      expect.objectContaining({
        action: 'jobs.check_mission_transitions',
        status_code: 200,
        user_id: admin.id,
        details: `transitions_performed=${body.transitions_performed}`,
      }),
    ]);

    const again = await runJob();
    expect(again).toEqual({ status: 'success', transitions_performed: 0, transitions: [] });
  });

  it("uses the date in each mission's own time zone", async () => {
    // Kiritimati is UTC+14 and Pago Pago UTC-11 (no daylight saving time in either): Kiritimati's today
    // is always one or two days after Pago Pago's.
    const kiritimatiToday = dateAtOffset(14);
    const kiritimatiYesterday = dateAtOffset(14, -1);
    const starts = async (timezone: string): Promise<MissionJson> =>
      missionIn('TRAINING', {
        name: `starts ${timezone}`,
        timezone,
        event_start_date: kiritimatiToday,
        event_end_date: dateAtOffset(14, 3),
      });
    const ends = async (timezone: string): Promise<MissionJson> =>
      missionIn('EVENT_ACTIVE', {
        name: `ends ${timezone}`,
        timezone,
        event_start_date: dateAtOffset(14, -3),
        event_end_date: kiritimatiYesterday,
      });
    const startsK = await starts('Pacific/Kiritimati');
    const startsP = await starts('Pacific/Pago_Pago');
    const endsK = await ends('Pacific/Kiritimati');
    const endsP = await ends('Pacific/Pago_Pago');

    const body = await runJob();
    const moved = body.transitions.map((e) => e.mission_id);
    expect(moved).toEqual(expect.arrayContaining([startsK.id, endsK.id]));
    expect(moved).not.toContain(startsP.id);
    expect(moved).not.toContain(endsP.id);
    expect(body.transitions.find((e) => e.mission_id === startsK.id)?.reason).toBe(
      `event_start_date ${kiritimatiToday} reached (today is ${kiritimatiToday} in Pacific/Kiritimati)`,
    );
    expect(await stateOf(startsK.id)).toBe('EVENT_ACTIVE');
    expect(await stateOf(startsP.id)).toBe('TRAINING');
    expect(await stateOf(endsK.id)).toBe('MISSION_COMPLETE');
    expect(await stateOf(endsP.id)).toBe('EVENT_ACTIVE');
  });
});

/**
 * Two app instances on one database file. Passport strategies are process-wide, so the instance created
 * last authenticates for both; each test therefore builds its own pair and closes the later one last.
 */
describe('mission transitions across two instances (e2e)', () => {
  let t: TestApp;
  let rider: LoggedIn;
  let admin: LoggedIn;

  beforeEach(async () => {
    t = await createTestApp();
    rider = await registerAndLogin(t.http);
    admin = await registerAndLogin(t.http, { admin: true, db: t.db });
  });
  afterEach(async () => {
    await t.close();
  });

  const sameDatabase = (): Record<string, string> => ({ DATABASE_URL: t.config.DATABASE_URL });

  const missionIn = async (state: 'PREP' | 'TRAINING', overrides: Record<string, unknown>): Promise<MissionJson> => {
    const mission = await createMission(t.http, rider.auth, { timezone: 'UTC', ...overrides });
    return state === 'TRAINING' ? moveThrough(t.http, rider.auth, mission.id, ['TRAINING']) : mission;
  };

  const runJob = async (app: TestApp): Promise<{ transitions_performed: number; transitions: TransitionEntry[] }> =>
    (await app.http.post('/jobs/check-mission-transitions').set(admin.auth).expect(200)).body;

  const stateOf = async (app: TestApp, id: string): Promise<string> =>
    (await app.http.get(`/missions/${id}`).set(rider.auth).expect(200)).body.state;

  it('never applies a transition twice when runs overlap, in one instance or across two', async () => {
    const twoSteps = await Promise.all(
      range(12).map((i) =>
        missionIn('TRAINING', { name: `two-${i}`, event_start_date: utcDate(-4), event_end_date: utcDate(-2) }),
      ),
    );
    const oneStep = await Promise.all(
      range(12).map((i) =>
        missionIn('TRAINING', { name: `one-${i}`, event_start_date: utcDate(-1), event_end_date: utcDate(3) }),
      ),
    );
    const second = await createTestApp(sameDatabase());
    try {
      const service = t.app.get(MissionTransitionsService);
      const [http, direct] = await Promise.all([
        Promise.all([runJob(t), runJob(second), runJob(t), runJob(second)]),
        Promise.all([service.runDueTransitions(), service.runDueTransitions()]),
      ]);
      const all = [...http.flatMap((run) => run.transitions), ...direct.flat()];
      const keys = all.map((e) => `${e.mission_id}:${e.old_state}->${e.new_state}`);
      expect(new Set(keys).size).toBe(keys.length);
      expect(all).toHaveLength(twoSteps.length * 2 + oneStep.length);
      for (const run of http) {
        expect(run.transitions_performed).toBe(run.transitions.length);
      }
      for (const m of twoSteps) {
        expect(await stateOf(second, m.id)).toBe('MISSION_COMPLETE');
      }
      for (const m of oneStep) {
        expect(await stateOf(second, m.id)).toBe('EVENT_ACTIVE');
      }
    } finally {
      await second.close();
    }
  });

  it('runs the check at start-up when ENABLE_MISSION_SCHEDULER=true', async () => {
    const due = await missionIn('TRAINING', {
      name: 'due at boot',
      event_start_date: utcDate(0),
      event_end_date: utcDate(1),
    });
    const overdue = await missionIn('TRAINING', {
      name: 'overdue at boot',
      event_start_date: utcDate(-3),
      event_end_date: utcDate(-2),
    });
    const prep = await missionIn('PREP', {
      name: 'prep at boot',
      event_start_date: utcDate(-3),
      event_end_date: utcDate(-2),
    });
    expect(t.config.ENABLE_MISSION_SCHEDULER).toBe(false);
    expect(t.app.get(SchedulerRegistry).doesExist('interval', MISSION_TRANSITIONS_INTERVAL)).toBe(false);
    expect(await stateOf(t, due.id)).toBe('TRAINING');

    const scheduled = await createTestApp({
      ...sameDatabase(),
      ENABLE_MISSION_SCHEDULER: 'true',
      MISSION_TRANSITION_INTERVAL_MINUTES: '5',
    });
    try {
      expect(await stateOf(scheduled, due.id)).toBe('EVENT_ACTIVE');
      expect(await stateOf(scheduled, overdue.id)).toBe('MISSION_COMPLETE');
      expect(await stateOf(scheduled, prep.id)).toBe('PREP');
      expect(scheduled.app.get(SchedulerRegistry).doesExist('interval', MISSION_TRANSITIONS_INTERVAL)).toBe(true);
    } finally {
      await scheduled.close();
    }
    expect(scheduled.app.get(SchedulerRegistry).getIntervals()).toEqual([]);
  });
});
