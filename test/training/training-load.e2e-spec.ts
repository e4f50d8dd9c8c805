import { LoggedIn, registerAndLogin } from '../helpers/auth';
import { createTestApp, TestApp } from '../helpers/test-app';
import { postActivity, putAthlete } from '../helpers/training';
import { utcDate } from '../helpers/dates';

interface LoadDay {
  date: string;
  tss: number;
  ctl: number;
  atl: number;
  tsb: number;
  ramp_rate: number;
}

const addDays = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

describe('GET /training/load (e2e)', () => {
  let t: TestApp;
  let rider: LoggedIn;

  beforeAll(async () => {
    t = await createTestApp();
    rider = await registerAndLogin(t.http);
    // Forty-two days of 100 TSS from 2025-01-01.
    for (let d = 0; d < 42; d++) {
      await postActivity(t.http, rider.auth, { start_time: `${addDays('2025-01-01', d)}T10:00:00Z`, tss: 100 });
    }
  });
  afterAll(async () => {
    await t.close();
  });

  const load = async (query: string, who: LoggedIn = rider): Promise<LoadDay[]> =>
    (await t.http.get(`/training/load?${query}`).set(who.auth).expect(200)).body as LoadDay[];

  it('ends forty-two days of 100 TSS from zero at CTL 63.2, one item per day oldest first', async () => {
    const days = await load('from=2024-12-30&to=2025-02-11');
    expect(days).toHaveLength(44);
    expect(days[0]).toEqual({ date: '2024-12-30', tss: 0, ctl: 0, atl: 0, tsb: 0, ramp_rate: 0 });
    expect(days[2]).toEqual({ date: '2025-01-01', tss: 100, ctl: 2.4, atl: 13.3, tsb: 0, ramp_rate: 2.4 });
    expect(days[43]).toMatchObject({ date: '2025-02-11', tss: 100, ctl: 63.2 });
    // TSB is the form going into the day: CTL - ATL of the day before.
    expect(days[3].tsb).toBeCloseTo(days[2].ctl - days[2].atl, 0);
    // Ramp rate: CTL minus CTL seven days earlier.
    expect(days[20].ramp_rate).toBeCloseTo(days[20].ctl - days[13].ctl, 0);
  });

  it('gives a date the same numbers whatever window asks for it', async () => {
    const wide = await load('from=2025-01-01&to=2025-03-31');
    const narrow = await load('from=2025-02-10&to=2025-02-12');
    expect(narrow).toEqual(wide.filter((d) => d.date >= '2025-02-10' && d.date <= '2025-02-12'));
    // After the block: no TSS, CTL decays and TSB recovers.
    const after = wide.find((d) => d.date === '2025-03-31') as LoadDay;
    expect(after.tss).toBe(0);
    expect(after.ctl).toBeLessThan(63.2);
    expect(after.tsb).toBeGreaterThan(0);
  });

  it('defaults to the 90 days ending today in the athlete zone', async () => {
    const me = await registerAndLogin(t.http);
    await putAthlete(t.http, me.auth, { timezone: 'Pacific/Kiritimati' });
    const days = await load('', me);
    expect(days).toHaveLength(90);
    const today = new Date(Date.now() + 14 * 3_600_000).toISOString().slice(0, 10);
    expect(days[89].date).toBe(today);
    expect(days[0].date).toBe(addDays(today, -89));
    expect((await load(`to=2025-01-31`, me))[0].date).toBe('2024-11-03');
    const fromOnly = await load(`from=${utcDate(-9)}`);
    expect(fromOnly[0].date).toBe(utcDate(-9));
  });

  it('sums the activities of a day and follows changes and deletions at once', async () => {
    const me = await registerAndLogin(t.http);
    const a = await postActivity(t.http, me.auth, { start_time: '2025-05-01T07:00:00Z', tss: 40 });
    await postActivity(t.http, me.auth, { start_time: '2025-05-01T17:00:00Z', tss: 35.5 });
    expect((await load('from=2025-05-01&to=2025-05-01', me))[0].tss).toBe(75.5);
    await t.http.patch(`/activities/${a.id}`).set(me.auth).send({ tss: 60 }).expect(200);
    expect((await load('from=2025-05-01&to=2025-05-01', me))[0].tss).toBe(95.5);
    await t.http.delete(`/activities/${a.id}`).set(me.auth).expect(204);
    expect((await load('from=2025-05-01&to=2025-05-01', me))[0].tss).toBe(35.5);
  });

  it('follows a new FTP: power activities without a score count 0 until one is set', async () => {
    const me = await registerAndLogin(t.http);
    await postActivity(t.http, me.auth, { start_time: '2025-05-01T07:00:00Z', normalized_power: 200 });
    expect((await load('from=2025-05-01&to=2025-05-01', me))[0].tss).toBe(0);
    await putAthlete(t.http, me.auth, { ftp: 200, ftp_effective_from: '2025-06-01' });
    expect((await load('from=2025-05-01&to=2025-05-01', me))[0].tss).toBe(100);
  });

  it('allows 3,660 days and refuses more, a from after to and malformed dates (422)', async () => {
    expect(await load('from=2015-01-01&to=2025-01-07')).toHaveLength(3660);
    for (const query of ['from=2015-01-01&to=2025-01-08', 'from=2025-02-01&to=2025-01-31', 'from=2025-1-1', 'to=x']) {
      const res = await t.http.get(`/training/load?${query}`).set(rider.auth).expect(422);
      expect(res.body.detail[0].loc[0]).toBe('query');
    }
  });
});
