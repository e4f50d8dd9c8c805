import { randomBytes } from 'node:crypto';
import {
  activityFixture,
  fitFile,
  FIXTURE_START,
  gzip,
  ride,
  tcxFile,
  type ActivitySpec,
} from '../helpers/activity-files';
import { LoggedIn, registerAndLogin } from '../helpers/auth';
import { createTestApp, TestApp } from '../helpers/test-app';
import { putAthlete } from '../helpers/training';

const LIMIT = 2 * 1024 * 1024;

/** A 1-hour ride at a steady 250 W starting `offsetS` seconds after the fixtures' start. */
const steadyRide = (offsetS = 0, sport: ActivitySpec['sport'] = 'ride'): ActivitySpec =>
  ride(3600, () => ({ power: 250, heartRate: 150 }), new Date(FIXTURE_START.getTime() + offsetS * 1000), sport);

describe('POST /activities/upload: multipart, duplicates, streams (e2e)', () => {
  let t: TestApp;
  let rider: LoggedIn;
  let other: LoggedIn;

  beforeAll(async () => {
    t = await createTestApp({ ACTIVITY_UPLOAD_LIMIT: String(LIMIT) });
    rider = await registerAndLogin(t.http);
    other = await registerAndLogin(t.http);
    await putAthlete(t.http, rider.auth, { ftp: 250, ftp_effective_from: '2026-01-01', threshold_hr: 160 });
  });
  afterAll(async () => {
    await t.close();
  });

  const upload = (who: LoggedIn, file: Buffer | string, filename = 'ride.fit') =>
    t.http.post('/activities/upload').set(who.auth).attach('file', Buffer.from(file), filename);
  const count = async (table: string, userId?: number): Promise<number> => {
    const where = userId === undefined ? '' : ` WHERE user_id = ${userId}`;
    const [row] = await t.db.query<{ n: number | string }[]>(`SELECT count(*) AS n FROM ${table}${where}`);
    return Number(row.n);
  };

  it('turns a FIT file into a scored activity with its time in zones, and keeps its streams', async () => {
    const me = await registerAndLogin(t.http);
    await putAthlete(t.http, me.auth, { ftp: 250, ftp_effective_from: '2026-01-01' });
    const res = await upload(me, fitFile(steadyRide())).expect(201);
    expect(res.body).toMatchObject({
      user_id: me.id,
      sport: 'ride',
      source: 'fit',
      start_time: FIXTURE_START.toISOString(),
      local_date: '2026-11-01',
      avg_power: 250,
      normalized_power: 250,
      intensity_factor: 1,
      tss_method: 'power',
      ftp_used: 250,
      avg_hr: 150,
    });
    expect(res.body.tss).toBeCloseTo((res.body.moving_s / 3600) * 100, 1);
    const zones = res.body.time_in_power_zones_s as number[];
    expect(zones).toHaveLength(7);
    expect(zones[3]).toBe(res.body.moving_s); // 250 W is zone 4 (225-262 W) of FTP 250
    expect(zones.reduce((a, b) => a + b, 0)).toBe(res.body.moving_s);

    const streams = await t.http.get(`/activities/${res.body.id}/streams`).set(me.auth).expect(200);
    expect(Object.keys(streams.body).sort()).toEqual(
      ['altitude', 'cadence', 'distance', 'heart_rate', 'power', 'speed', 'time'].sort(),
    );
    expect(streams.body.time).toHaveLength(3600);
    expect(streams.body.time[0]).toBe(0);
    expect(new Set(streams.body.power)).toEqual(new Set([250]));
    expect(streams.body.heart_rate).toHaveLength(3600);

    const listed = await t.http.get('/activities').set(me.auth).expect(200);
    expect(listed.body).toEqual([res.body]);
    expect(JSON.stringify(listed.body)).not.toContain('"time"');
  });

  it('recognises the format from the content, takes a name field, and accepts gzip', async () => {
    const tcx = await upload(rider, activityFixture('ride.tcx'), 'misleading.fit').field('name', 'Evening TCX');
    expect(tcx.status).toBe(201);
    expect(tcx.body).toMatchObject({ source: 'tcx', name: 'Evening TCX' });
    const gpx = await upload(rider, activityFixture('ride.gpx'), 'ride.bin').expect(409);
    expect(gpx.body.detail).toBe(`Duplicate of activity ${tcx.body.id}`);
    const gz = await upload(other, activityFixture('ride.fit.gz'), 'ride.fit.gz').expect(201);
    expect(gz.body).toMatchObject({ source: 'fit', tss: null, ftp_used: null, time_in_power_zones_s: null });
  });

  it('refuses the same ride twice (409 naming it), a start within 1 s, but not another sport or user', async () => {
    const me = await registerAndLogin(t.http);
    const first = await upload(me, fitFile(steadyRide(100))).expect(201);
    const again = await upload(me, fitFile(steadyRide(100))).expect(409);
    expect(again.body).toEqual({ detail: `Duplicate of activity ${first.body.id}`, code: 'duplicate_activity' });
    const nearTcx = tcxFile(steadyRide(101));
    expect((await upload(me, nearTcx, 'x.tcx').expect(409)).body.detail).toBe(`Duplicate of activity ${first.body.id}`);
    await upload(me, fitFile(steadyRide(102))).expect(201);
    await upload(me, fitFile(steadyRide(100, 'run'))).expect(201);
    await upload(other, fitFile(steadyRide(100))).expect(201);
    // A manual entry at the same start is never a duplicate, either way.
    await t.http
      .post('/activities')
      .set(me.auth)
      .send({ name: 'Same start', sport: 'ride', start_time: first.body.start_time, duration_s: 600 })
      .expect(201);
    expect(await count('activities', me.id)).toBe(4);
  });

  it('stores one of two identical uploads sent at once: one 201, one 409', async () => {
    const me = await registerAndLogin(t.http);
    const file = fitFile(steadyRide(5000));
    const answers = await Promise.all([upload(me, file), upload(me, file), upload(me, file)]);
    expect(answers.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    const created = answers.find((r) => r.status === 201)?.body as { id: string };
    for (const r of answers.filter((a) => a.status === 409)) {
      expect(r.body.detail).toBe(`Duplicate of activity ${created.id}`);
    }
    expect(await count('activities', me.id)).toBe(1);
    expect(await count('activity_streams')).toBeGreaterThan(0);
  });

  it('answers 413 past ACTIVITY_UPLOAD_LIMIT, as sent, and stores nothing', async () => {
    const me = await registerAndLogin(t.http);
    const res = await upload(me, randomBytes(LIMIT + 1)).expect(413);
    expect(res.body).toEqual({
      detail: `File too large: at most ${LIMIT} bytes (ACTIVITY_UPLOAD_LIMIT)`,
      code: 'file_too_large',
    });
    const bomb = await upload(me, gzip(Buffer.alloc(LIMIT + 10, 0x20)), 'bomb.gz').expect(413);
    expect(typeof bomb.body.detail).toBe('string');
    expect(await count('activities', me.id)).toBe(0);
    expect((await t.http.get('/healthz').expect(200)).body.status).toBe('healthy');
  });

  it.each([
    ['no file part', (r: ReturnType<typeof t.http.post>) => r.field('name', 'x')],
    ['a misnamed part', (r: ReturnType<typeof t.http.post>) => r.attach('upload', Buffer.from('x'), 'a.fit')],
    [
      'two files',
      (r: ReturnType<typeof t.http.post>) =>
        r.attach('file', Buffer.from('a'), 'a.fit').attach('file', Buffer.from('b'), 'b.fit'),
    ],
  ])('answers 422 at ["body", "file"] for %s', async (_label, build) => {
    const me = await registerAndLogin(t.http);
    const res = await build(t.http.post('/activities/upload').set(me.auth)).expect(422);
    expect(res.body.detail.map((i: { loc: unknown[] }) => i.loc)).toContainEqual(['body', 'file']);
    expect(await count('activities', me.id)).toBe(0);
  });

  it('answers 422 for an unknown text field or a long name, 415 for a JSON body, 422 for no body', async () => {
    const file = fitFile(steadyRide(9000));
    const extra = await upload(rider, file).field('sport', 'run').expect(422);
    expect(extra.body.detail[0].loc).toEqual(['body', 'sport']);
    await upload(rider, file).field('name', 'x'.repeat(300)).expect(422);
    await t.http.post('/activities/upload').set(rider.auth).send({ file: 'x' }).expect(415);
    const none = await t.http.post('/activities/upload').set(rider.auth).expect(422);
    expect(none.body.detail[0].loc).toEqual(['body', 'file']);
    await t.http
      .post('/activities/upload')
      .set(rider.auth)
      .set('Content-Type', 'multipart/form-data; boundary=zzz')
      .send('--zzz\r\nContent-Disposition: form-data; name="file"; filename="a.fit"\r\n\r\nabc')
      .expect((r) => expect([400, 422]).toContain(r.status));
    await t.http.post('/activities/upload').attach('file', file, 'a.fit').expect(403);
  });

  it('re-computes the time in zones from the streams when the FTP changes', async () => {
    const me = await registerAndLogin(t.http);
    await putAthlete(t.http, me.auth, { ftp: 250, ftp_effective_from: '2026-01-01' });
    const res = await upload(me, fitFile(steadyRide(20000))).expect(201);
    expect((res.body.time_in_power_zones_s as number[])[3]).toBe(res.body.moving_s);
    await putAthlete(t.http, me.auth, { ftp: 200, ftp_effective_from: '2026-10-01' });
    const after = await t.http.get(`/activities/${res.body.id}`).set(me.auth).expect(200);
    // 250 W of FTP 200 is 125 %: zone 6 (240-299 W).
    expect((after.body.time_in_power_zones_s as number[])[5]).toBe(res.body.moving_s);
    expect(after.body).toMatchObject({ ftp_used: 200, intensity_factor: 1.25 });
  });

  it("deletes an activity's streams with it; another user reads neither (404)", async () => {
    const me = await registerAndLogin(t.http);
    const res = await upload(me, fitFile(steadyRide(30000))).expect(201);
    await t.http.get(`/activities/${res.body.id}/streams`).set(other.auth).expect(404);
    const before = await count('activity_streams');
    await t.http.delete(`/activities/${res.body.id}`).set(me.auth).expect(204);
    expect(await count('activity_streams')).toBe(before - 1);
    await t.http.get(`/activities/${res.body.id}/streams`).set(me.auth).expect(404);
  });
});
