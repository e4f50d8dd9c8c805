import { registerAndLogin, type LoggedIn } from '../helpers/auth';
import { TestClock } from '../helpers/clock';
import { coachedMission, type CoachRunJson, modelPlan } from '../helpers/coach';
import { startFakeOpenAi, type FakeOpenAi } from '../helpers/fake-openai.server';
import type { MissionJson } from '../helpers/missions';
import { createTestApp, type TestApp } from '../helpers/test-app';

/**
 * Pacific/Kiritimati is UTC+14 and Pacific/Pago_Pago UTC-11 (neither has daylight saving time): 25 hours
 * apart, so at 16:00 UTC on 5 March Kiritimati is at 06:00 on 6 March while Pago Pago is at 05:00 on 5 March.
 */
describe('coach runs at each mission zone own COACH_BRIEFING_HOUR, with a settable clock (e2e)', () => {
  let fake: FakeOpenAi;
  let t: TestApp;
  let rider: LoggedIn;
  let admin: LoggedIn;
  let kiritimati: MissionJson;
  let pagoPago: MissionJson;
  const clock = new TestClock('2030-03-05T12:00:00.000Z');

  beforeAll(async () => {
    fake = await startFakeOpenAi({ kind: 'json', body: modelPlan() });
    t = await createTestApp(
      { OPENAI_API_KEY: 'sk-test-zones', OPENAI_BASE_URL: fake.url },
      { overrides: [clock.override] },
    );
    rider = await registerAndLogin(t.http);
    admin = await registerAndLogin(t.http, { admin: true, db: t.db });
    const dates = {
      event_start_date: '2030-06-01',
      event_end_date: '2030-06-01',
      prep_start_date: null,
      prep_end_date: null,
    };
    kiritimati = await coachedMission(t.http, rider.auth, {
      ...dates,
      name: 'Line Islands',
      timezone: 'Pacific/Kiritimati',
    });
    pagoPago = await coachedMission(t.http, rider.auth, { ...dates, name: 'Tutuila', timezone: 'Pacific/Pago_Pago' });
  });
  afterAll(async () => {
    await t.close();
    await fake.close();
  });

  const runAt = async (instant: string): Promise<number> => {
    clock.set(instant);
    return (await t.http.post('/jobs/coach-runs').set(admin.auth).expect(200)).body.runs_created as number;
  };
  const datesOf = async (mission: MissionJson): Promise<string[]> =>
    ((await t.http.get(`/missions/${mission.id}/runs`).set(rider.auth).expect(200)).body as CoachRunJson[]).map(
      (r) => r.date,
    );

  it('briefs each mission at 6:00 of its own zone, for its own local date', async () => {
    expect(await runAt('2030-03-05T15:59:59.000Z')).toBe(0);
    expect(await datesOf(kiritimati)).toEqual([]);

    expect(await runAt('2030-03-05T16:00:00.000Z')).toBe(1);
    expect(await datesOf(kiritimati)).toEqual(['2030-03-06']);
    expect(await datesOf(pagoPago)).toEqual([]);

    expect(await runAt('2030-03-05T16:59:59.000Z')).toBe(0);
    expect(await runAt('2030-03-05T17:00:00.000Z')).toBe(1);
    expect(await datesOf(pagoPago)).toEqual(['2030-03-05']);
    expect(await datesOf(kiritimati)).toEqual(['2030-03-06']);

    // The next local day of each: Kiritimati's 7 March at 16:00 UTC on the 6th, Pago Pago's 6 March an hour later.
    expect(await runAt('2030-03-06T16:30:00.000Z')).toBe(1);
    expect(await datesOf(kiritimati)).toEqual(['2030-03-07', '2030-03-06']);
    expect(await runAt('2030-03-06T17:30:00.000Z')).toBe(1);
    expect(await datesOf(pagoPago)).toEqual(['2030-03-06', '2030-03-05']);
  });

  it("answers POST /missions/{id}/runs for the mission's own today", async () => {
    clock.set('2030-03-08T10:30:00.000Z');
    const k = (await t.http.post(`/missions/${kiritimati.id}/runs`).set(rider.auth).expect(201)).body as CoachRunJson;
    const p = (await t.http.post(`/missions/${pagoPago.id}/runs`).set(rider.auth).expect(201)).body as CoachRunJson;
    expect(k.date).toBe('2030-03-09');
    expect(p.date).toBe('2030-03-07');
  });
});
