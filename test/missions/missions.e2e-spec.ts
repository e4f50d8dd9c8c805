import { randomUUID } from 'node:crypto';
import { LoggedIn, registerAndLogin } from '../helpers/auth';
import { createTestApp, TestApp } from '../helpers/test-app';
import { auditRowsOf, createMission, missionBody, moveThrough } from '../helpers/missions';

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('missions: CRUD, ownership, dates and the state machine (e2e)', () => {
  let t: TestApp;
  let rider: LoggedIn;
  let other: LoggedIn;
  let admin: LoggedIn;

  beforeAll(async () => {
    t = await createTestApp();
    rider = await registerAndLogin(t.http);
    other = await registerAndLogin(t.http);
    admin = await registerAndLogin(t.http, { admin: true, db: t.db });
  });
  afterAll(async () => {
    await t.close();
  });

  const auditRows = (requestId: string): Promise<Record<string, unknown>[]> => auditRowsOf(t.db, requestId);

  const locs = (body: { detail: { loc: unknown[] }[] }): unknown[][] => body.detail.map((item) => item.loc);

  describe('POST /missions', () => {
    it('creates a mission in PREP owned by the caller, with dates as strings and JSON as objects', async () => {
      const body = missionBody();
      const res = await t.http
        .post('/missions')
        .set(rider.auth)
        .set('X-Request-Id', 'mission-create-1')
        .send(body)
        .expect(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(UUID_V4),
        user_id: rider.id,
        name: body.name,
        mission_type: body.mission_type,
        event_start_date: body.event_start_date,
        event_end_date: body.event_end_date,
        prep_start_date: body.prep_start_date,
        prep_end_date: body.prep_end_date,
        state: 'PREP',
        points_schema: body.points_schema,
        timezone: 'Europe/Paris',
        constraints: body.constraints,
        notification_preferences: body.notification_preferences,
        created_at: expect.stringMatching(ISO_MS),
        updated_at: res.body.created_at,
      });
      const [row] = await auditRows('mission-create-1');
      expect(row).toMatchObject({
        action: 'mission.create',
        resource: 'mission',
        resource_id: res.body.id,
        user_id: rider.id,
        status_code: 201,
      });

      const again = await t.http.get(`/missions/${res.body.id}`).set(rider.auth).expect(200);
      expect(again.body).toEqual(res.body);
    });

    it('fills the defaults: timezone UTC, points_schema {}, no prep dates, constraints or preferences', async () => {
      const res = await t.http
        .post('/missions')
        .set(rider.auth)
        .send({
          name: 'Crit night',
          mission_type: 'crit_series',
          event_start_date: '2031-04-01',
          event_end_date: '2031-04-01',
        })
        .expect(201);
      expect(res.body).toMatchObject({
        timezone: 'UTC',
        points_schema: {},
        prep_start_date: null,
        prep_end_date: null,
        constraints: null,
        notification_preferences: null,
        event_start_date: '2031-04-01',
        event_end_date: '2031-04-01',
      });
    });

    it.each([
      ['a missing name', { name: undefined }, ['body', 'name']],
      ['an empty name', { name: '' }, ['body', 'name']],
      ['a name of 256 characters', { name: 'x'.repeat(256) }, ['body', 'name']],
      ['a blank mission_type', { mission_type: '  ' }, ['body', 'mission_type']],
      ['a mission_type of 101 characters', { mission_type: 'x'.repeat(101) }, ['body', 'mission_type']],
      ['a missing event_start_date', { event_start_date: undefined }, ['body', 'event_start_date']],
      ['a malformed date', { event_start_date: '01/06/2030' }, ['body', 'event_start_date']],
      ['a date that does not exist', { event_end_date: '2030-02-30' }, ['body', 'event_end_date']],
      ['a malformed prep date', { prep_start_date: '2030-1-5' }, ['body', 'prep_start_date']],
      ['an unknown time zone', { timezone: 'Mars/Olympus' }, ['body', 'timezone']],
      ['an offset instead of a zone', { timezone: '+05:00' }, ['body', 'timezone']],
      ['a null time zone', { timezone: null }, ['body', 'timezone']],
      ['points_schema as an array', { points_schema: [1, 2] }, ['body', 'points_schema']],
      ['points_schema null', { points_schema: null }, ['body', 'points_schema']],
      ['constraints as text', { constraints: 'no mornings' }, ['body', 'constraints']],
      ['a user_id', { user_id: 999 }, ['body', 'user_id']],
      ['an id', { id: randomUUID() }, ['body', 'id']],
      ['a state', { state: 'TRAINING' }, ['body', 'state']],
    ])('answers 422 for %s, naming the field', async (_label, overrides, loc) => {
      const res = await t.http.post('/missions').set(rider.auth).send(missionBody(overrides)).expect(422);
      expect(locs(res.body)).toContainEqual(loc);
      for (const item of res.body.detail) {
        expect(item).toEqual({ loc: expect.any(Array), msg: expect.any(String), type: expect.any(String) });
      }
    });

    it('answers 400 when the event ends before it starts, and accepts a one-day event', async () => {
      const res = await t.http
        .post('/missions')
        .set(rider.auth)
        .send(missionBody({ event_start_date: '2031-05-10', event_end_date: '2031-05-09' }))
        .expect(400);
      expect(res.body.detail).toMatch(/event_end_date .* event_start_date/);
      await t.http
        .post('/missions')
        .set(rider.auth)
        .send(missionBody({ event_start_date: '2031-05-10', event_end_date: '2031-05-10' }))
        .expect(201);
    });

    it('answers 400 when prep_end_date is not after prep_start_date', async () => {
      for (const prep_end_date of ['2031-01-10', '2031-01-09']) {
        const res = await t.http
          .post('/missions')
          .set(rider.auth)
          .send(missionBody({ prep_start_date: '2031-01-10', prep_end_date }))
          .expect(400);
        expect(res.body.detail).toMatch(/prep_end_date .* prep_start_date/);
      }
    });

    it('accepts calendar dates in the years 0001-0099 and stores them as sent', async () => {
      const res = await t.http
        .post('/missions')
        .set(rider.auth)
        .send(
          missionBody({
            event_start_date: '0050-06-15',
            event_end_date: '0099-12-31',
            prep_start_date: '0001-01-01',
            prep_end_date: '0004-02-29',
          }),
        )
        .expect(201);
      expect(res.body).toMatchObject({
        event_start_date: '0050-06-15',
        event_end_date: '0099-12-31',
        prep_start_date: '0001-01-01',
        prep_end_date: '0004-02-29',
      });
      const again = await t.http.get(`/missions/${res.body.id}`).set(rider.auth).expect(200);
      expect(again.body.event_start_date).toBe('0050-06-15');
      for (const bad of ['0000-06-15', '0050-02-29', '2023-02-29']) {
        const refused = await t.http
          .post('/missions')
          .set(rider.auth)
          .send(missionBody({ event_start_date: bad }))
          .expect(422);
        expect(locs(refused.body)).toContainEqual(['body', 'event_start_date']);
      }
    });

    it('stores a time zone with its letter case fixed, and a link or newer name as sent', async () => {
      for (const [sent, stored] of [
        ['utc', 'UTC'],
        ['Etc/UTC', 'Etc/UTC'],
        ['europe/paris', 'Europe/Paris'],
        ['EST', 'EST'],
        ['Asia/Kolkata', 'Asia/Kolkata'],
      ]) {
        const res = await t.http
          .post('/missions')
          .set(rider.auth)
          .send(missionBody({ timezone: sent }))
          .expect(201);
        expect([sent, res.body.timezone]).toEqual([sent, stored]);
        const again = await t.http.get(`/missions/${res.body.id}`).set(rider.auth).expect(200);
        expect(again.body.timezone).toBe(stored);
      }
      const mission = await createMission(t.http, rider.auth);
      const updated = await t.http.put(`/missions/${mission.id}`).set(rider.auth).send({ timezone: 'utc' }).expect(200);
      expect(updated.body.timezone).toBe('UTC');
    });

    it('refuses anonymous callers (403) and bad tokens (401)', async () => {
      const anon = await t.http.post('/missions').send(missionBody()).expect(403);
      expect(anon.body).toEqual({ detail: 'Not authenticated', code: 'not_authenticated' });
      const bad = await t.http
        .post('/missions')
        .set('Authorization', 'Bearer not-a-token')
        .send(missionBody())
        .expect(401);
      expect(bad.headers['www-authenticate']).toBe('Bearer');
    });
  });

  describe('GET /missions', () => {
    let owner: LoggedIn;
    const names = ['first', 'second', 'third', 'fourth'];

    beforeAll(async () => {
      owner = await registerAndLogin(t.http);
      for (const name of names) {
        await createMission(t.http, owner.auth, { name });
      }
      await createMission(t.http, other.auth, { name: 'not yours' });
    });

    it("lists only the caller's missions, oldest first", async () => {
      const res = await t.http.get('/missions').set(owner.auth).set('X-Request-Id', 'mission-list-1').expect(200);
      expect(res.body.map((m: { name: string }) => m.name)).toEqual(names);
      expect(res.body.every((m: { user_id: number }) => m.user_id === owner.id)).toBe(true);
      expect(await auditRows('mission-list-1')).toEqual([
        expect.objectContaining({ action: 'mission.list', status_code: 200 }),
      ]);
    });

    it('pages with skip and limit', async () => {
      const res = await t.http.get('/missions?skip=1&limit=2').set(owner.auth).expect(200);
      expect(res.body.map((m: { name: string }) => m.name)).toEqual(['second', 'third']);
      const beyond = await t.http.get('/missions?skip=10').set(owner.auth).expect(200);
      expect(beyond.body).toEqual([]);
    });

    it.each([['limit=0'], ['limit=101'], ['skip=-1'], ['limit=abc'], ['skip=1.5']])(
      'answers 422 for %s',
      async (query) => {
        const res = await t.http.get(`/missions?${query}`).set(owner.auth).expect(422);
        expect(res.body.detail[0].loc[0]).toBe('query');
      },
    );
  });

  describe('GET, PUT and DELETE /missions/{id}', () => {
    it('answers 404 for an unknown id and for an id that is not a UUID', async () => {
      for (const id of [randomUUID(), 'not-a-uuid', '123', `${randomUUID()}x`]) {
        const res = await t.http.get(`/missions/${id}`).set(rider.auth).expect(404);
        expect(res.body).toEqual({ detail: 'Mission not found', code: 'mission_not_found' });
        await t.http.put(`/missions/${id}`).set(rider.auth).send({ name: 'x' }).expect(404);
        await t.http.delete(`/missions/${id}`).set(rider.auth).expect(404);
        await t.http.post(`/missions/${id}/transition`).set(rider.auth).send({ target_state: 'TRAINING' }).expect(404);
      }
    });

    it("answers 403 for another user's mission, admins included, and changes nothing", async () => {
      const mission = await createMission(t.http, rider.auth);
      for (const intruder of [other, admin]) {
        const res = await t.http
          .get(`/missions/${mission.id}`)
          .set(intruder.auth)
          .set('X-Request-Id', `m403-${intruder.id}`)
          .expect(403);
        expect(typeof res.body.detail).toBe('string');
        await t.http.put(`/missions/${mission.id}`).set(intruder.auth).send({ name: 'stolen' }).expect(403);
        await t.http.delete(`/missions/${mission.id}`).set(intruder.auth).expect(403);
        await t.http
          .post(`/missions/${mission.id}/transition`)
          .set(intruder.auth)
          .send({ target_state: 'TRAINING' })
          .expect(403);
        expect(await auditRows(`m403-${intruder.id}`)).toEqual([
          expect.objectContaining({
            action: 'mission.get',
            status_code: 403,
            user_id: intruder.id,
            resource_id: mission.id,
          }),
        ]);
      }
      const unchanged = await t.http.get(`/missions/${mission.id}`).set(rider.auth).expect(200);
      expect(unchanged.body).toMatchObject({ name: mission.name, state: 'PREP' });
    });

    it('accepts an upper-case spelling of the id', async () => {
      const mission = await createMission(t.http, rider.auth);
      const res = await t.http.get(`/missions/${mission.id.toUpperCase()}`).set(rider.auth).expect(200);
      expect(res.body.id).toBe(mission.id);
    });

    it('updates only the fields sent', async () => {
      const mission = await createMission(t.http, rider.auth);
      const res = await t.http
        .put(`/missions/${mission.id}`)
        .set(rider.auth)
        .set('X-Request-Id', 'mission-put-1')
        .send({ name: 'Renamed', constraints: null, points_schema: { daily_base: 30 } })
        .expect(200);
      expect(res.body).toEqual({
        ...mission,
        name: 'Renamed',
        constraints: null,
        points_schema: { daily_base: 30 },
        updated_at: expect.stringMatching(ISO_MS),
      });
      expect(res.body.updated_at > mission.updated_at).toBe(true);
      const [row] = await auditRows('mission-put-1');
      expect(row).toMatchObject({ action: 'mission.update', status_code: 200, resource_id: mission.id });
      expect(row.details).toBe('fields=name,points_schema,constraints');

      const empty = await t.http.put(`/missions/${mission.id}`).set(rider.auth).send({}).expect(200);
      expect(empty.body).toMatchObject({ name: 'Renamed', timezone: mission.timezone, state: 'PREP' });
      expect(empty.body.updated_at).toBe(res.body.updated_at);
    });

    it('checks the date rules on the result of a partial update (400) and keeps the mission as it was', async () => {
      const mission = await createMission(t.http, rider.auth, {
        event_start_date: '2031-06-01',
        event_end_date: '2031-06-03',
      });
      await t.http.put(`/missions/${mission.id}`).set(rider.auth).send({ event_start_date: '2031-06-04' }).expect(400);
      await t.http
        .put(`/missions/${mission.id}`)
        .set(rider.auth)
        .send({ prep_end_date: mission.prep_start_date })
        .expect(400);
      const moved = await t.http
        .put(`/missions/${mission.id}`)
        .set(rider.auth)
        .send({ event_start_date: '2031-06-03' })
        .expect(200);
      expect(moved.body).toMatchObject({ event_start_date: '2031-06-03', event_end_date: '2031-06-03' });
      const cleared = await t.http
        .put(`/missions/${mission.id}`)
        .set(rider.auth)
        .send({ prep_start_date: null, prep_end_date: null })
        .expect(200);
      expect(cleared.body).toMatchObject({ prep_start_date: null, prep_end_date: null });
    });

    it('answers 422 for a state, an owner, null required fields or an unknown zone in an update', async () => {
      const mission = await createMission(t.http, rider.auth);
      for (const body of [
        { state: 'TRAINING' },
        { user_id: other.id },
        { name: null },
        { event_start_date: null },
        { timezone: 'Nowhere/Land' },
      ]) {
        const res = await t.http.put(`/missions/${mission.id}`).set(rider.auth).send(body).expect(422);
        expect(locs(res.body)).toContainEqual(['body', Object.keys(body)[0]]);
      }
    });

    it('deletes a mission (204), after which it is gone (404)', async () => {
      const mission = await createMission(t.http, rider.auth);
      await t.http.delete(`/missions/${mission.id}`).set(rider.auth).set('X-Request-Id', 'mission-del-1').expect(204);
      expect(await auditRows('mission-del-1')).toEqual([
        expect.objectContaining({ action: 'mission.delete', status_code: 204, resource_id: mission.id }),
      ]);
      await t.http.get(`/missions/${mission.id}`).set(rider.auth).expect(404);
      await t.http.delete(`/missions/${mission.id}`).set(rider.auth).expect(404);
    });
  });

  describe('POST /missions/{id}/transition', () => {
    it('walks the whole lifecycle, each step answering 200 with the mission', async () => {
      const mission = await createMission(t.http, rider.auth);
      let previous = mission.updated_at;
      for (const target_state of ['TRAINING', 'EVENT_ACTIVE', 'MISSION_COMPLETE']) {
        const res = await t.http
          .post(`/missions/${mission.id}/transition`)
          .set(rider.auth)
          .set('X-Request-Id', `transition-${target_state}`)
          .send({ target_state })
          .expect(200);
        expect(res.body).toMatchObject({ id: mission.id, state: target_state, name: mission.name });
        expect(res.body.updated_at > previous).toBe(true);
        previous = res.body.updated_at;
      }
      expect(await auditRows('transition-MISSION_COMPLETE')).toEqual([
        expect.objectContaining({
          action: 'mission.transition',
          status_code: 200,
          resource_id: mission.id,
          details: 'EVENT_ACTIVE -> MISSION_COMPLETE',
        }),
      ]);
      const done = await t.http.get(`/missions/${mission.id}`).set(rider.auth).expect(200);
      expect(done.body.state).toBe('MISSION_COMPLETE');
      await t.http
        .post(`/missions/${mission.id}/transition`)
        .set(rider.auth)
        .send({ target_state: 'PREP' })
        .expect(409);
    });

    it('answers 400 listing the valid states for an unknown target state', async () => {
      const mission = await createMission(t.http, rider.auth);
      for (const target_state of ['DONE', 'training', '']) {
        const res = await t.http
          .post(`/missions/${mission.id}/transition`)
          .set(rider.auth)
          .send({ target_state })
          .expect(400);
        expect(res.body.detail).toContain('PREP, TRAINING, EVENT_ACTIVE, MISSION_COMPLETE');
      }
    });

    it('answers 422 when target_state is missing or not a string', async () => {
      const mission = await createMission(t.http, rider.auth);
      for (const body of [{}, { target_state: 3 }, { target_state: 'TRAINING', extra: true }]) {
        await t.http.post(`/missions/${mission.id}/transition`).set(rider.auth).send(body).expect(422);
      }
    });

    it('answers 409 for the same state and for skipped or backward moves', async () => {
      const mission = await createMission(t.http, rider.auth);
      const same = await t.http
        .post(`/missions/${mission.id}/transition`)
        .set(rider.auth)
        .send({ target_state: 'PREP' })
        .expect(409);
      expect(same.body.detail).toBe('Mission is already in state PREP');
      await t.http
        .post(`/missions/${mission.id}/transition`)
        .set(rider.auth)
        .send({ target_state: 'EVENT_ACTIVE' })
        .expect(409);
      await t.http
        .post(`/missions/${mission.id}/transition`)
        .set(rider.auth)
        .send({ target_state: 'MISSION_COMPLETE' })
        .expect(409);
      await moveThrough(t.http, rider.auth, mission.id, ['TRAINING', 'EVENT_ACTIVE']);
      await t.http
        .post(`/missions/${mission.id}/transition`)
        .set(rider.auth)
        .send({ target_state: 'TRAINING' })
        .expect(409);
    });

    it('lets an admin revert their own TRAINING mission to PREP, and refuses it to others (409)', async () => {
      const mine = await createMission(t.http, rider.auth);
      await moveThrough(t.http, rider.auth, mine.id, ['TRAINING']);
      const refused = await t.http
        .post(`/missions/${mine.id}/transition`)
        .set(rider.auth)
        .send({ target_state: 'PREP' })
        .expect(409);
      expect(refused.body.detail).toMatch(/admin/);

      const adminsOwn = await createMission(t.http, admin.auth);
      await moveThrough(t.http, admin.auth, adminsOwn.id, ['TRAINING']);
      const reverted = await t.http
        .post(`/missions/${adminsOwn.id}/transition`)
        .set(admin.auth)
        .send({ target_state: 'PREP' })
        .expect(200);
      expect(reverted.body.state).toBe('PREP');

      await t.http.post(`/missions/${mine.id}/transition`).set(admin.auth).send({ target_state: 'PREP' }).expect(403);
      const still = await t.http.get(`/missions/${mine.id}`).set(rider.auth).expect(200);
      expect(still.body.state).toBe('TRAINING');
    });
  });

  it('documents every mission route in the OpenAPI document', async () => {
    const spec = await t.http.get('/openapi.json').expect(200);
    const paths = spec.body.paths;
    expect(Object.keys(paths['/missions'])).toEqual(expect.arrayContaining(['get', 'post']));
    expect(Object.keys(paths['/missions/{id}'])).toEqual(expect.arrayContaining(['get', 'put', 'delete']));
    expect(paths['/missions/{id}/transition'].post.responses).toEqual(
      expect.objectContaining({ 200: expect.anything(), 400: expect.anything(), 409: expect.anything() }),
    );
    expect(paths['/missions/draft'].post.responses['201']).toBeDefined();
    expect(paths['/missions/draft/{draft_id}/confirm'].post.responses).toEqual(
      expect.objectContaining({ 200: expect.anything(), 201: expect.anything() }),
    );
    expect(paths['/jobs/check-mission-transitions'].post.responses['200']).toBeDefined();
    const schemas = spec.body.components.schemas;
    expect(schemas.CreateMissionDto.required).toEqual(
      expect.arrayContaining(['name', 'mission_type', 'event_start_date', 'event_end_date']),
    );
    expect(schemas.MissionResponseDto.properties.state.enum).toEqual([
      'PREP',
      'TRAINING',
      'EVENT_ACTIVE',
      'MISSION_COMPLETE',
    ]);
    expect(schemas.CreateMissionDraftDto.required).toEqual(
      expect.arrayContaining(['event_name', 'event_date', 'current_ftp']),
    );
    expect(schemas.MissionDraftResponseDto.properties.draft).toBeDefined();
  });
});
