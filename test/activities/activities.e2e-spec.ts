import { LoggedIn, registerAndLogin } from '../helpers/auth';
import { createTestApp, TestApp } from '../helpers/test-app';
import { auditRowsOf } from '../helpers/missions';
import { manualActivity, postActivity, putAthlete } from '../helpers/training';

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('activities: manual entries, list, changes, scores (e2e)', () => {
  let t: TestApp;
  let rider: LoggedIn;
  let other: LoggedIn;

  beforeAll(async () => {
    t = await createTestApp();
    rider = await registerAndLogin(t.http);
    other = await registerAndLogin(t.http);
    await putAthlete(t.http, rider.auth, {
      ftp: 250,
      ftp_effective_from: '2025-01-01',
      threshold_hr: 160,
      max_hr: 190,
    });
  });
  afterAll(async () => {
    await t.close();
  });

  describe('POST /activities (manual entry)', () => {
    it('stores the entry with its power score and answers the full activity object', async () => {
      const res = await t.http
        .post('/activities')
        .set(rider.auth)
        .set('X-Request-Id', 'activity-create-1')
        .send(manualActivity({ normalized_power: 225, avg_power: 200, distance_m: 36000, notes: 'Tempo' }))
        .expect(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(UUID_V4),
        user_id: rider.id,
        name: 'Manual ride',
        sport: 'ride',
        source: 'manual',
        start_time: '2025-06-10T12:00:00.000Z',
        local_date: '2025-06-10',
        elapsed_s: 3600,
        moving_s: 3600,
        distance_m: 36000,
        elevation_gain_m: null,
        avg_power: 200,
        max_power: null,
        normalized_power: 225,
        intensity_factor: 0.9,
        tss: 81,
        tss_method: 'power',
        ftp_used: 250,
        avg_hr: null,
        max_hr: null,
        avg_cadence: null,
        time_in_power_zones_s: null,
        notes: 'Tempo',
        created_at: expect.stringMatching(ISO_MS),
        updated_at: res.body.created_at,
      });
      const [row] = await auditRowsOf(t.db, 'activity-create-1');
      expect(row).toMatchObject({ action: 'activity.create', resource: 'activity', resource_id: res.body.id });
      expect((await t.http.get(`/activities/${res.body.id}`).set(rider.auth).expect(200)).body).toEqual(res.body);
    });

    it('scores by average power without NP, by heart rate without power, else 0 / none; its own TSS wins', async () => {
      const avg = await postActivity(t.http, rider.auth, { avg_power: 200, duration_s: 7200 });
      expect(avg).toMatchObject({ intensity_factor: 0.8, tss: 128, tss_method: 'power', ftp_used: 250 });
      const hr = await postActivity(t.http, rider.auth, { avg_hr: 144, duration_s: 3600 });
      // (144 / 160)^2 x 100 = 81; IF = sqrt(81 / 100) = 0.9
      expect(hr).toMatchObject({ tss: 81, intensity_factor: 0.9, tss_method: 'heart_rate' });
      const none = await postActivity(t.http, rider.auth, {});
      expect(none).toMatchObject({ tss: 0, tss_method: 'none', intensity_factor: null });
      const own = await postActivity(t.http, rider.auth, { normalized_power: 300, tss: 42.5 });
      expect(own).toMatchObject({ tss: 42.5, tss_method: 'manual' });
    });

    it('stores power entries with a null score while no FTP is set, and scores them once one is', async () => {
      const me = await registerAndLogin(t.http);
      const entry = await postActivity(t.http, me.auth, { normalized_power: 200 });
      expect(entry).toMatchObject({ tss: null, intensity_factor: null, ftp_used: null, tss_method: 'power' });
      await putAthlete(t.http, me.auth, { ftp: 200, ftp_effective_from: '2025-09-01' });
      // Older than the first entry: it uses the first entry.
      const scored = await t.http.get(`/activities/${entry.id}`).set(me.auth).expect(200);
      expect(scored.body).toMatchObject({ tss: 100, intensity_factor: 1, ftp_used: 200 });
    });

    it('puts local_date in the athlete zone', async () => {
      const me = await registerAndLogin(t.http);
      await putAthlete(t.http, me.auth, { timezone: 'Pacific/Auckland' });
      const entry = await postActivity(t.http, me.auth, { start_time: '2025-06-10T20:00:00Z' });
      expect(entry.local_date).toBe('2025-06-11');
    });

    it.each([
      [{ name: '' }, 'name'],
      [{ name: '   ' }, 'name'],
      [{ sport: 'swim' }, 'sport'],
      [{ start_time: '2025-06-10' }, 'start_time'],
      [{ start_time: '2025-02-30T10:00:00Z' }, 'start_time'],
      [{ start_time: '2025-06-10T10:00:00' }, 'start_time'],
      [{ start_time: '2999-01-01T00:00:00Z' }, 'start_time'],
      [{ duration_s: 0 }, 'duration_s'],
      [{ duration_s: 60.5 }, 'duration_s'],
      [{ duration_s: 604801 }, 'duration_s'],
      [{ avg_power: -1 }, 'avg_power'],
      [{ normalized_power: 3001 }, 'normalized_power'],
      [{ avg_hr: 19 }, 'avg_hr'],
      [{ tss: -5 }, 'tss'],
      [{ notes: 'x'.repeat(1001) }, 'notes'],
      [{ source: 'fit' }, 'source'],
    ])('refuses %j with a 422 at that field and stores nothing', async (override, field) => {
      const me = await registerAndLogin(t.http);
      const res = await t.http.post('/activities').set(me.auth).send(manualActivity(override)).expect(422);
      expect(res.body.detail.map((i: { loc: unknown[] }) => i.loc)).toContainEqual(['body', field]);
      expect((await t.http.get('/activities').set(me.auth).expect(200)).body).toEqual([]);
    });

    it('never treats manual entries as duplicates', async () => {
      const me = await registerAndLogin(t.http);
      await postActivity(t.http, me.auth);
      await postActivity(t.http, me.auth);
      expect((await t.http.get('/activities').set(me.auth).expect(200)).body).toHaveLength(2);
    });
  });

  describe('GET /activities', () => {
    it('lists newest first on local_date, within from/to, with skip and limit, only the caller', async () => {
      const me = await registerAndLogin(t.http);
      const a = await postActivity(t.http, me.auth, { start_time: '2025-03-02T08:00:00Z', name: 'a' });
      const b = await postActivity(t.http, me.auth, { start_time: '2025-03-01T08:00:00Z', name: 'b' });
      const c = await postActivity(t.http, me.auth, { start_time: '2025-03-02T18:00:00Z', name: 'c' });
      const d = await postActivity(t.http, me.auth, { start_time: '2025-03-05T08:00:00Z', name: 'd' });
      await postActivity(t.http, other.auth, { start_time: '2025-03-02T09:00:00Z' });
      const ids = (res: { body: { id: string }[] }): string[] => res.body.map((x) => x.id);
      expect(ids(await t.http.get('/activities').set(me.auth).expect(200))).toEqual([d.id, c.id, a.id, b.id]);
      expect(ids(await t.http.get('/activities?from=2025-03-02&to=2025-03-02').set(me.auth).expect(200))).toEqual([
        c.id,
        a.id,
      ]);
      expect(ids(await t.http.get('/activities?from=2025-03-02').set(me.auth).expect(200))).toEqual([d.id, c.id, a.id]);
      expect(ids(await t.http.get('/activities?to=2025-03-01').set(me.auth).expect(200))).toEqual([b.id]);
      expect(ids(await t.http.get('/activities?skip=1&limit=2').set(me.auth).expect(200))).toEqual([c.id, a.id]);
    });

    it.each(['from=2025-03-05&to=2025-03-01', 'from=nope', 'to=2025-02-29', 'limit=0', 'limit=101', 'skip=-1'])(
      'refuses ?%s with a 422',
      async (query) => {
        const res = await t.http.get(`/activities?${query}`).set(rider.auth).expect(422);
        expect(res.body.detail[0].loc[0]).toBe('query');
      },
    );
  });

  describe('GET/PATCH/DELETE /activities/{id}', () => {
    it("answers 404 for another user's activity, an unknown id and an id that is not a UUID", async () => {
      const mine = await postActivity(t.http, rider.auth);
      for (const path of [`/activities/${mine.id}`, `/activities/${mine.id}/streams`]) {
        const res = await t.http.get(path).set(other.auth).expect(404);
        expect(res.body.detail).toBe('Activity not found');
      }
      await t.http.patch(`/activities/${mine.id}`).set(other.auth).send({ name: 'x' }).expect(404);
      await t.http.delete(`/activities/${mine.id}`).set(other.auth).expect(404);
      await t.http.get('/activities/7b0a3c62-0d2f-4c55-9d0e-111111111111').set(rider.auth).expect(404);
      await t.http.get('/activities/not-a-uuid').set(rider.auth).expect(404);
      await t.http.get(`/activities/${mine.id}`).set(rider.auth).expect(200);
    });

    it('changes name, sport and notes; a TSS overrides the computed one and null goes back to it', async () => {
      const entry = await postActivity(t.http, rider.auth, { normalized_power: 225 });
      const renamed = await t.http
        .patch(`/activities/${entry.id}`)
        .set(rider.auth)
        .send({ name: 'Hills', sport: 'virtual_ride', notes: 'Zwift' })
        .expect(200);
      expect(renamed.body).toMatchObject({ name: 'Hills', sport: 'virtual_ride', notes: 'Zwift', tss: 81 });
      expect(renamed.body.updated_at > renamed.body.created_at).toBe(true);
      const overridden = await t.http.patch(`/activities/${entry.id}`).set(rider.auth).send({ tss: 95 }).expect(200);
      expect(overridden.body).toMatchObject({ tss: 95, tss_method: 'manual', intensity_factor: 0.9 });
      const back = await t.http.patch(`/activities/${entry.id}`).set(rider.auth).send({ tss: null }).expect(200);
      expect(back.body).toMatchObject({ tss: 81, tss_method: 'power' });
      const cleared = await t.http.patch(`/activities/${entry.id}`).set(rider.auth).send({ notes: null }).expect(200);
      expect(cleared.body.notes).toBeNull();
    });

    it.each([[{ name: null }], [{ sport: 'swim' }], [{ tss: -1 }], [{ start_time: '2025-01-01T00:00:00Z' }]])(
      'refuses PATCH %j with a 422',
      async (body) => {
        const entry = await postActivity(t.http, rider.auth);
        await t.http.patch(`/activities/${entry.id}`).set(rider.auth).send(body).expect(422);
        expect((await t.http.get(`/activities/${entry.id}`).set(rider.auth)).body).toEqual(entry);
      },
    );

    it('deletes an activity (204, then 404)', async () => {
      const entry = await postActivity(t.http, rider.auth);
      await t.http.delete(`/activities/${entry.id}`).set(rider.auth).expect(204);
      await t.http.get(`/activities/${entry.id}`).set(rider.auth).expect(404);
      await t.http.delete(`/activities/${entry.id}`).set(rider.auth).expect(404);
    });

    it('has no streams for a manual entry (404)', async () => {
      const entry = await postActivity(t.http, rider.auth);
      const res = await t.http.get(`/activities/${entry.id}/streams`).set(rider.auth).expect(404);
      expect(res.body.detail).toBe('This activity has no streams (a manual entry)');
    });
  });

  describe('following the athlete profile', () => {
    it('re-scores activities on and after a new FTP date; older ones keep the FTP of their own date', async () => {
      const me = await registerAndLogin(t.http);
      await putAthlete(t.http, me.auth, { ftp: 200, ftp_effective_from: '2025-02-01' });
      const before = await postActivity(t.http, me.auth, { start_time: '2025-01-15T10:00:00Z', normalized_power: 200 });
      const middle = await postActivity(t.http, me.auth, { start_time: '2025-03-15T10:00:00Z', normalized_power: 200 });
      const after = await postActivity(t.http, me.auth, { start_time: '2025-05-15T10:00:00Z', normalized_power: 200 });
      expect([before, middle, after].map((a) => a.tss)).toEqual([100, 100, 100]);

      await putAthlete(t.http, me.auth, { ftp: 250, ftp_effective_from: '2025-04-01' });
      const get = async (id: string): Promise<Record<string, unknown>> =>
        (await t.http.get(`/activities/${id}`).set(me.auth).expect(200)).body as Record<string, unknown>;
      expect(await get(before.id)).toMatchObject({ ftp_used: 200, tss: 100 });
      expect(await get(middle.id)).toMatchObject({ ftp_used: 200, tss: 100 });
      expect(await get(after.id)).toMatchObject({ ftp_used: 250, tss: 64, intensity_factor: 0.8 });

      // A new first entry applies to everything before it too.
      await putAthlete(t.http, me.auth, { ftp: 100, ftp_effective_from: '2025-01-20' });
      expect(await get(before.id)).toMatchObject({ ftp_used: 100, tss: 400 });
      expect(await get(middle.id)).toMatchObject({ ftp_used: 200, tss: 100 });
    });

    it('re-scores heart-rate activities when threshold_hr changes', async () => {
      const me = await registerAndLogin(t.http);
      await putAthlete(t.http, me.auth, { threshold_hr: 160 });
      const entry = await postActivity(t.http, me.auth, { avg_hr: 144 });
      expect(entry.tss).toBe(81);
      await putAthlete(t.http, me.auth, { threshold_hr: 180 });
      const res = await t.http.get(`/activities/${entry.id}`).set(me.auth).expect(200);
      expect(res.body).toMatchObject({ tss: 64, intensity_factor: 0.8, tss_method: 'heart_rate' });
    });

    it('moves activities to their date in a new zone', async () => {
      const me = await registerAndLogin(t.http);
      const entry = await postActivity(t.http, me.auth, { start_time: '2025-06-10T23:30:00Z' });
      expect(entry.local_date).toBe('2025-06-10');
      await putAthlete(t.http, me.auth, { timezone: 'Europe/Paris' });
      const res = await t.http.get(`/activities/${entry.id}`).set(me.auth).expect(200);
      expect(res.body.local_date).toBe('2025-06-11');
      const listed = await t.http.get('/activities?from=2025-06-11&to=2025-06-11').set(me.auth).expect(200);
      expect(listed.body).toHaveLength(1);
    });
  });
});
