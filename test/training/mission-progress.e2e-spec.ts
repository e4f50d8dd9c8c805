import { LoggedIn, registerAndLogin } from '../helpers/auth';
import { createTestApp, TestApp } from '../helpers/test-app';
import { createMission } from '../helpers/missions';
import { postActivity, putAthlete } from '../helpers/training';
import { utcDate } from '../helpers/dates';

interface ProgressDay {
  date: string;
  tss: number;
  hours: number;
  intensity: string;
  points: number;
  ctl: number;
  atl: number;
  tsb: number;
  readiness: number | null;
  flags: string[];
}

describe('GET /missions/{id}/progress (e2e)', () => {
  let t: TestApp;
  let rider: LoggedIn;
  let other: LoggedIn;

  beforeAll(async () => {
    t = await createTestApp();
    rider = await registerAndLogin(t.http);
    other = await registerAndLogin(t.http);
    await putAthlete(t.http, rider.auth, { ftp: 200, ftp_effective_from: '2025-01-01' });
  });
  afterAll(async () => {
    await t.close();
  });

  const progressOf = async (id: string, who: LoggedIn = rider) =>
    (await t.http.get(`/missions/${id}/progress`).set(who.auth).expect(200)).body as {
      mission_id: string;
      phase: string;
      days_to_event: number;
      points_total: number;
      days: ProgressDay[];
      weeks: { week_start: string; hours: number; tss: number; points: number; flags: string[] }[];
    };

  it("answers 403 for another user's mission, 404 for an unknown or malformed id", async () => {
    const mission = await createMission(t.http, rider.auth, { timezone: 'UTC' });
    const res = await t.http.get(`/missions/${mission.id}/progress`).set(other.auth).expect(403);
    expect(typeof res.body.detail).toBe('string');
    await t.http.get('/missions/7b0a3c62-0d2f-4c55-9d0e-111111111111/progress').set(rider.auth).expect(404);
    await t.http.get('/missions/nope/progress').set(rider.auth).expect(404);
    await t.http.get(`/missions/${mission.id}/progress`).expect(403);
  });

  it.each([
    [60, 61, 'base'],
    [42, 43, 'build'],
    [22, 22, 'build'],
    [21, 21, 'peak'],
    [8, 9, 'peak'],
    [7, 7, 'taper'],
    [1, 3, 'taper'],
    [0, 2, 'event'],
    [-1, 0, 'event'],
    [-3, -1, 'complete'],
  ])('event in %i days (ending in %i): phase %s', async (start, end, phase) => {
    const mission = await createMission(t.http, rider.auth, {
      timezone: 'UTC',
      event_start_date: utcDate(start),
      event_end_date: utcDate(end),
      prep_start_date: utcDate(-5),
      prep_end_date: null,
    });
    const progress = await progressOf(mission.id);
    expect(progress).toMatchObject({ mission_id: mission.id, phase, days_to_event: start });
    // The window ends at the earlier of the event's end and today.
    const last = end < 0 ? utcDate(end) : utcDate(0);
    expect(progress.days.at(-1)?.date).toBe(last);
    expect(progress.days[0].date).toBe(utcDate(-5));
  });

  it("scores each day against the mission's points_schema and constraints, weeks Monday to Sunday", async () => {
    const me = await registerAndLogin(t.http);
    await putAthlete(t.http, me.auth, { ftp: 200, ftp_effective_from: '2025-01-01' });
    // 2025-03-03 is a Monday. A hard block first drives TSB down.
    for (const date of ['2025-03-03', '2025-03-04', '2025-03-05', '2025-03-06']) {
      await postActivity(t.http, me.auth, { start_time: `${date}T08:00:00Z`, duration_s: 7200, normalized_power: 190 });
    }
    await postActivity(t.http, me.auth, {
      start_time: '2025-03-07T08:00:00Z',
      duration_s: 3600,
      normalized_power: 120,
    });
    await postActivity(t.http, me.auth, {
      start_time: '2025-03-08T08:00:00Z',
      duration_s: 3600,
      normalized_power: 160,
    });
    await postActivity(t.http, me.auth, {
      start_time: '2025-03-10T08:00:00Z',
      duration_s: 1800,
      normalized_power: 180,
    });
    await t.http.put('/wellness/2025-03-03').set(me.auth).send({ readiness: 40 }).expect(200);
    const mission = await createMission(t.http, me.auth, {
      timezone: 'UTC',
      prep_start_date: '2025-03-03',
      prep_end_date: null,
      event_start_date: '2025-03-11',
      event_end_date: '2025-03-11',
      points_schema: { daily_base: 20, intensity_multipliers: { easy: 1, moderate: 2, hard: 3 } },
      constraints: { min_tsb: -20, min_readiness: 50, max_weekly_hours: 8 },
    });
    const progress = await progressOf(mission.id, me);
    expect(progress.phase).toBe('complete');
    expect(progress.days.map((d) => d.date)).toEqual([
      '2025-03-03',
      '2025-03-04',
      '2025-03-05',
      '2025-03-06',
      '2025-03-07',
      '2025-03-08',
      '2025-03-09',
      '2025-03-10',
      '2025-03-11',
    ]);
    const [mon, tue, wed, thu, fri, sat, sun, nextMon, nextTue] = progress.days;
    // IF 0.95: hard. Monday's readiness 40 < 50 flags it, and a flagged hard day scores as easy.
    expect(mon).toMatchObject({ intensity: 'hard', readiness: 40, flags: ['hard_day_low_readiness'], points: 20 });
    expect(mon.hours).toBe(2);
    expect(mon.tss).toBe(180.5);
    expect(tue).toMatchObject({ intensity: 'hard', flags: [], points: 60, readiness: null });
    // By Thursday the form going into the day is below -20.
    expect(thu.tsb).toBeLessThan(-20);
    expect(thu).toMatchObject({ intensity: 'hard', flags: ['hard_day_low_form'], points: 20 });
    expect(wed.flags).toEqual(wed.tsb < -20 ? ['hard_day_low_form'] : []);
    expect(fri).toMatchObject({ intensity: 'easy', points: 20 }); // IF 0.6
    expect(sat).toMatchObject({ intensity: 'moderate', points: 40 }); // IF 0.8
    expect(sun).toMatchObject({ intensity: 'rest', points: 0, tss: 0, hours: 0 });
    expect(nextMon).toMatchObject({ intensity: 'hard', hours: 0.5 }); // IF 0.9
    expect(nextTue.intensity).toBe('rest');

    // CTL, ATL and TSB are GET /training/load's values for those dates.
    const load = await t.http.get('/training/load?from=2025-03-03&to=2025-03-11').set(me.auth).expect(200);
    expect(progress.days.map(({ date, tss, ctl, atl, tsb }) => ({ date, tss, ctl, atl, tsb }))).toEqual(
      (load.body as ProgressDay[]).map(({ date, tss, ctl, atl, tsb }) => ({ date, tss, ctl, atl, tsb })),
    );

    const total = progress.days.reduce((sum, d) => sum + d.points, 0);
    expect(progress.points_total).toBeCloseTo(total, 5);
    expect(progress.weeks).toEqual([
      {
        week_start: '2025-03-03',
        hours: 10,
        tss: expect.any(Number),
        points: mon.points + tue.points + wed.points + thu.points + fri.points + sat.points,
        flags: ['over_max_weekly_hours'],
      },
      { week_start: '2025-03-10', hours: 0.5, tss: nextMon.tss, points: nextMon.points, flags: [] },
    ]);
  });

  it('uses daily_base 10 and multipliers 1 / 1.5 / 2 when the points_schema lacks them', async () => {
    const me = await registerAndLogin(t.http);
    await putAthlete(t.http, me.auth, { ftp: 200, ftp_effective_from: '2025-01-01' });
    await postActivity(t.http, me.auth, { start_time: '2025-04-01T08:00:00Z', normalized_power: 180 });
    await postActivity(t.http, me.auth, { start_time: '2025-04-02T08:00:00Z', normalized_power: 155 });
    await postActivity(t.http, me.auth, { start_time: '2025-04-03T08:00:00Z' });
    const mission = await createMission(t.http, me.auth, {
      timezone: 'UTC',
      prep_start_date: '2025-04-01',
      prep_end_date: null,
      event_start_date: '2025-04-04',
      event_end_date: '2025-04-04',
      points_schema: {},
      constraints: null,
    });
    const progress = await progressOf(mission.id, me);
    expect(progress.days.map((d) => [d.intensity, d.points, d.flags])).toEqual([
      ['hard', 20, []],
      ['moderate', 15, []],
      ['easy', 10, []],
      ['rest', 0, []],
    ]);
    expect(progress.points_total).toBe(45);
    expect(progress.weeks).toEqual([
      { week_start: '2025-03-31', hours: 3, tss: expect.any(Number), points: 45, flags: [] },
    ]);
  });

  it('starts at the creation date without prep_start_date, and is empty before the window opens', async () => {
    const mission = await createMission(t.http, rider.auth, {
      timezone: 'UTC',
      prep_start_date: null,
      prep_end_date: null,
    });
    const progress = await progressOf(mission.id);
    expect(progress.days.map((d) => d.date)).toEqual([utcDate(0)]);
    const future = await createMission(t.http, rider.auth, {
      timezone: 'UTC',
      prep_start_date: utcDate(10),
      prep_end_date: null,
    });
    expect(await progressOf(future.id)).toMatchObject({ days: [], weeks: [], points_total: 0, phase: 'base' });
  });
});
