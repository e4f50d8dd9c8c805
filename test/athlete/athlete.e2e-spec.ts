import { LoggedIn, registerAndLogin } from '../helpers/auth';
import { createTestApp, TestApp } from '../helpers/test-app';
import { auditRowsOf } from '../helpers/missions';
import { utcDate } from '../helpers/dates';

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('athlete profile, FTP history and zones (e2e)', () => {
  let t: TestApp;
  let rider: LoggedIn;

  beforeAll(async () => {
    t = await createTestApp();
    rider = await registerAndLogin(t.http);
  });
  afterAll(async () => {
    await t.close();
  });

  const locs = (body: { detail: { loc: unknown[] }[] }): unknown[][] => body.detail.map((item) => item.loc);

  it('answers the defaults for an athlete who never saved a profile', async () => {
    const fresh = await registerAndLogin(t.http);
    const res = await t.http.get('/athlete').set(fresh.auth).expect(200);
    expect(res.body).toEqual({
      ftp: null,
      ftp_history: [],
      weight_kg: null,
      max_hr: null,
      threshold_hr: null,
      timezone: 'UTC',
      updated_at: null,
    });
  });

  it('needs a token: 403 Not authenticated', async () => {
    const res = await t.http.get('/athlete').expect(403);
    expect(res.body.detail).toBe('Not authenticated');
  });

  it('saves the fields sent, keeps the others, and lists the FTP history oldest first', async () => {
    const me = await registerAndLogin(t.http);
    const first = await t.http
      .put('/athlete')
      .set(me.auth)
      .set('X-Request-Id', 'athlete-put-1')
      .send({ ftp: 240, ftp_effective_from: '2025-03-01', weight_kg: 72.5, max_hr: 190, timezone: 'europe/paris' })
      .expect(200);
    expect(first.body).toEqual({
      ftp: 240,
      ftp_history: [{ ftp: 240, effective_from: '2025-03-01' }],
      weight_kg: 72.5,
      max_hr: 190,
      threshold_hr: null,
      timezone: 'Europe/Paris',
      updated_at: expect.stringMatching(ISO_MS),
    });
    const [row] = await auditRowsOf(t.db, 'athlete-put-1');
    expect(row).toMatchObject({ action: 'athlete.update', resource: 'athlete', user_id: me.id, status_code: 200 });
    expect(String(row.details)).not.toContain('240');

    await t.http.put('/athlete').set(me.auth).send({ ftp: 220, ftp_effective_from: '2025-01-01' }).expect(200);
    const later = await t.http.put('/athlete').set(me.auth).send({ threshold_hr: 170, weight_kg: null }).expect(200);
    expect(later.body).toMatchObject({
      ftp: 240,
      ftp_history: [
        { ftp: 220, effective_from: '2025-01-01' },
        { ftp: 240, effective_from: '2025-03-01' },
      ],
      weight_kg: null,
      max_hr: 190,
      threshold_hr: 170,
      timezone: 'Europe/Paris',
    });

    // A second FTP on the same date replaces the first; the default date is today in the athlete's zone.
    await t.http.put('/athlete').set(me.auth).send({ ftp: 245, ftp_effective_from: '2025-03-01' }).expect(200);
    const today = await t.http.put('/athlete').set(me.auth).send({ ftp: 250 }).expect(200);
    const history = today.body.ftp_history as { ftp: number; effective_from: string }[];
    expect(history.slice(0, 2)).toEqual([
      { ftp: 220, effective_from: '2025-01-01' },
      { ftp: 245, effective_from: '2025-03-01' },
    ]);
    expect(history[2].ftp).toBe(250);
    expect([utcDate(-1), utcDate(0), utcDate(1)]).toContain(history[2].effective_from);
    expect(today.body.ftp).toBe(250);
    expect((await t.http.get('/athlete').set(me.auth).expect(200)).body).toEqual(today.body);
  });

  it.each([
    [{ ftp: 49 }, ['body', 'ftp']],
    [{ ftp: 501 }, ['body', 'ftp']],
    [{ ftp: 250.5 }, ['body', 'ftp']],
    [{ ftp: null }, ['body', 'ftp']],
    [{ ftp: '250' }, ['body', 'ftp']],
    [{ weight_kg: 29.9 }, ['body', 'weight_kg']],
    [{ weight_kg: 251 }, ['body', 'weight_kg']],
    [{ max_hr: 99 }, ['body', 'max_hr']],
    [{ max_hr: 231 }, ['body', 'max_hr']],
    [{ threshold_hr: 79 }, ['body', 'threshold_hr']],
    [{ threshold_hr: 221 }, ['body', 'threshold_hr']],
    [{ threshold_hr: 180, max_hr: 180 }, ['body', 'threshold_hr']],
    [{ timezone: 'Mars/Olympus' }, ['body', 'timezone']],
    [{ timezone: '+02:00' }, ['body', 'timezone']],
    [{ ftp: 250, ftp_effective_from: '2025-02-30' }, ['body', 'ftp_effective_from']],
    [{ ftp: 250, ftp_effective_from: utcDate(3) }, ['body', 'ftp_effective_from']],
    [{ ftp_effective_from: '2025-01-01' }, ['body', 'ftp_effective_from']],
    [{ ftp: 250, is_admin: true }, ['body', 'is_admin']],
  ])('refuses %j with a 422 at %j and stores nothing', async (body, loc) => {
    const me = await registerAndLogin(t.http);
    const res = await t.http.put('/athlete').set(me.auth).send(body).expect(422);
    expect(locs(res.body)).toContainEqual(loc);
    const after = await t.http.get('/athlete').set(me.auth).expect(200);
    expect(after.body).toMatchObject({ ftp: null, ftp_history: [], updated_at: null });
  });

  it('checks threshold_hr against the stored max_hr (422 at the field sent)', async () => {
    const me = await registerAndLogin(t.http);
    await t.http.put('/athlete').set(me.auth).send({ max_hr: 170 }).expect(200);
    const high = await t.http.put('/athlete').set(me.auth).send({ threshold_hr: 175 }).expect(422);
    expect(locs(high.body)).toEqual([['body', 'threshold_hr']]);
    await t.http.put('/athlete').set(me.auth).send({ threshold_hr: 160 }).expect(200);
    const low = await t.http.put('/athlete').set(me.auth).send({ max_hr: 150 }).expect(422);
    expect(locs(low.body)).toEqual([['body', 'max_hr']]);
    expect((await t.http.get('/athlete').set(me.auth)).body).toMatchObject({ max_hr: 170, threshold_hr: 160 });
  });

  describe('GET /athlete/zones', () => {
    it('is a 404 "Set your FTP first" without an FTP', async () => {
      const me = await registerAndLogin(t.http);
      const res = await t.http.get('/athlete/zones').set(me.auth).expect(404);
      expect(res.body.detail).toBe('Set your FTP first');
    });

    it("gives Coggan's seven power zones from the latest FTP and no heart-rate zones without threshold_hr", async () => {
      await t.http.put('/athlete').set(rider.auth).send({ ftp: 250, ftp_effective_from: '2025-01-01' }).expect(200);
      const res = await t.http.get('/athlete/zones').set(rider.auth).expect(200);
      expect(res.body).toEqual({
        ftp: 250,
        power: [
          { zone: 1, name: 'Active Recovery', min_watts: 0, max_watts: 137 },
          { zone: 2, name: 'Endurance', min_watts: 138, max_watts: 187 },
          { zone: 3, name: 'Tempo', min_watts: 188, max_watts: 224 },
          { zone: 4, name: 'Threshold', min_watts: 225, max_watts: 262 },
          { zone: 5, name: 'VO2max', min_watts: 263, max_watts: 299 },
          { zone: 6, name: 'Anaerobic', min_watts: 300, max_watts: 374 },
          { zone: 7, name: 'Neuromuscular', min_watts: 375, max_watts: null },
        ],
        heart_rate: null,
      });
    });

    it('gives five heart-rate zones from threshold_hr (68, 83, 94, 105 %)', async () => {
      await t.http.put('/athlete').set(rider.auth).send({ threshold_hr: 170 }).expect(200);
      const res = await t.http.get('/athlete/zones').set(rider.auth).expect(200);
      expect(res.body.heart_rate).toEqual([
        { zone: 1, name: 'Active Recovery', min_bpm: 0, max_bpm: 115 },
        { zone: 2, name: 'Endurance', min_bpm: 116, max_bpm: 140 },
        { zone: 3, name: 'Tempo', min_bpm: 141, max_bpm: 159 },
        { zone: 4, name: 'Threshold', min_bpm: 160, max_bpm: 178 },
        { zone: 5, name: 'VO2max', min_bpm: 179, max_bpm: null },
      ]);
    });
  });
});
