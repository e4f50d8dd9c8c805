import { LoggedIn, registerAndLogin } from '../helpers/auth';
import { createTestApp, TestApp } from '../helpers/test-app';
import { utcDate } from '../helpers/dates';

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('wellness days (e2e)', () => {
  let t: TestApp;
  let rider: LoggedIn;
  let other: LoggedIn;

  beforeAll(async () => {
    t = await createTestApp();
    rider = await registerAndLogin(t.http);
    other = await registerAndLogin(t.http);
  });
  afterAll(async () => {
    await t.close();
  });

  it('creates a day, then replaces it whole (a field not sent becomes null)', async () => {
    const created = await t.http
      .put('/wellness/2025-05-01')
      .set(rider.auth)
      .send({ readiness: 80, sleep_hours: 7.5, resting_hr: 48, hrv_ms: 62.5, notes: 'Fresh' })
      .expect(200);
    expect(created.body).toEqual({
      date: '2025-05-01',
      readiness: 80,
      sleep_hours: 7.5,
      resting_hr: 48,
      hrv_ms: 62.5,
      notes: 'Fresh',
      updated_at: expect.stringMatching(ISO_MS),
    });
    const replaced = await t.http.put('/wellness/2025-05-01').set(rider.auth).send({ readiness: 40 }).expect(200);
    expect(replaced.body).toMatchObject({
      readiness: 40,
      sleep_hours: null,
      resting_hr: null,
      hrv_ms: null,
      notes: null,
    });
    expect(replaced.body.updated_at > created.body.updated_at).toBe(true);
  });

  it('lists days oldest first within from/to, with skip and limit, only the caller', async () => {
    const me = await registerAndLogin(t.http);
    for (const date of ['2025-04-03', '2025-04-01', '2025-04-02', '2025-04-05']) {
      await t.http.put(`/wellness/${date}`).set(me.auth).send({ readiness: 50 }).expect(200);
    }
    await t.http.put('/wellness/2025-04-02').set(other.auth).send({ readiness: 99 }).expect(200);
    const all = await t.http.get('/wellness').set(me.auth).expect(200);
    expect(all.body.map((d: { date: string }) => d.date)).toEqual([
      '2025-04-01',
      '2025-04-02',
      '2025-04-03',
      '2025-04-05',
    ]);
    const range = await t.http.get('/wellness?from=2025-04-02&to=2025-04-03').set(me.auth).expect(200);
    expect(range.body.map((d: { date: string }) => d.date)).toEqual(['2025-04-02', '2025-04-03']);
    const page = await t.http.get('/wellness?skip=1&limit=2').set(me.auth).expect(200);
    expect(page.body.map((d: { date: string }) => d.date)).toEqual(['2025-04-02', '2025-04-03']);
    await t.http.get('/wellness?from=2025-04-05&to=2025-04-01').set(me.auth).expect(422);
    await t.http.get('/wellness?from=2025-13-01').set(me.auth).expect(422);
    await t.http.get('/wellness?limit=101').set(me.auth).expect(422);
  });

  it('refuses a date after today in the athlete zone, and bad values, storing nothing', async () => {
    const me = await registerAndLogin(t.http);
    const future = await t.http
      .put(`/wellness/${utcDate(2)}`)
      .set(me.auth)
      .send({ readiness: 50 })
      .expect(422);
    expect(future.body.detail[0].loc).toEqual(['path', 'date']);
    const bad = await t.http.put('/wellness/2025-02-30').set(me.auth).send({}).expect(422);
    expect(bad.body.detail[0].loc).toEqual(['path', 'date']);
    for (const [body, field] of [
      [{ readiness: 101 }, 'readiness'],
      [{ readiness: 50.5 }, 'readiness'],
      [{ sleep_hours: 24.5 }, 'sleep_hours'],
      [{ resting_hr: 19 }, 'resting_hr'],
      [{ hrv_ms: 0 }, 'hrv_ms'],
      [{ hrv_ms: 301 }, 'hrv_ms'],
      [{ notes: 'x'.repeat(1001) }, 'notes'],
      [{ mood: 'great' }, 'mood'],
    ] as const) {
      const res = await t.http.put('/wellness/2025-03-01').set(me.auth).send(body).expect(422);
      expect(res.body.detail.map((i: { loc: unknown[] }) => i.loc)).toContainEqual(['body', field]);
    }
    expect((await t.http.get('/wellness').set(me.auth).expect(200)).body).toEqual([]);
  });

  it("deletes a day (204); another user's day or an unknown one is a 404", async () => {
    await t.http.put('/wellness/2025-06-01').set(rider.auth).send({ readiness: 70 }).expect(200);
    await t.http.delete('/wellness/2025-06-01').set(other.auth).expect(404);
    await t.http.delete('/wellness/2025-06-01').set(rider.auth).expect(204);
    const again = await t.http.delete('/wellness/2025-06-01').set(rider.auth).expect(404);
    expect(again.body.detail).toBe('Wellness day not found');
  });
});
