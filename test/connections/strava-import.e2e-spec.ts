import { registerAndLogin, type LoggedIn } from '../helpers/auth';
import {
  FAKE_ATHLETE_ID,
  startFakeStrava,
  stravaEvent,
  type FakeStrava,
  type FakeStravaActivity,
} from '../helpers/fake-strava.server';
import { eventually } from '../helpers/mail';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { postActivity, putAthlete, type ActivityJson } from '../helpers/training';

const REDIRECT_URI = 'http://127.0.0.1:3999/connections/strava/callback';
const DAY_MS = 86_400_000;
const WAIT_MS = 20_000;

/** A start `days` days ago at 07:00 UTC, as Strava writes it. */
const daysAgo = (days: number, hour = 7): string => {
  const start = new Date(Date.now() - days * DAY_MS);
  start.setUTCHours(hour, 0, 0, 0);
  return start.toISOString().replace(/\.\d{3}Z$/, 'Z');
};

describe('Strava import: backfill, webhook events, rate limits (e2e, against the fake Strava)', () => {
  let t: TestApp;
  let fake: FakeStrava;
  let env: Record<string, string>;
  let nextAthlete = FAKE_ATHLETE_ID + 1000;

  beforeAll(async () => {
    fake = await startFakeStrava();
    env = {
      STRAVA_BASE_URL: fake.url,
      STRAVA_CLIENT_ID: fake.clientId,
      STRAVA_CLIENT_SECRET: fake.clientSecret,
      STRAVA_REDIRECT_URI: REDIRECT_URI,
      STRAVA_BACKFILL_DAYS: '30',
    };
    t = await createTestApp(env);
  });

  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  /** A user with an FTP and a threshold heart rate, and the Strava athlete id they will connect. */
  async function rider(app = t): Promise<{ user: LoggedIn; athleteId: number }> {
    const user = await registerAndLogin(app.http);
    await putAthlete(app.http, user.auth, { ftp: 250, ftp_effective_from: '2020-01-01', threshold_hr: 170 });
    nextAthlete += 1;
    return { user, athleteId: nextAthlete };
  }

  const lastSync = async (user: LoggedIn, app = t): Promise<number> => {
    const [row] = await app.db.query<Array<{ last_sync_at: string | Date | null }>>(
      `SELECT last_sync_at FROM provider_connections WHERE user_id = ${user.id}`,
    );
    return row?.last_sync_at ? new Date(row.last_sync_at).getTime() : 0;
  };

  /** Connects (the callback with a code for the athlete), then waits for the backfill to have listed everything. */
  async function connect(user: LoggedIn, athleteId: number, app = t): Promise<void> {
    const res = await app.http.post('/connections/strava/authorize').set(user.auth).expect(200);
    const state = new URL(res.body.authorize_url as string).searchParams.get('state')!;
    const before = Date.now();
    await app.http
      .get('/connections/strava/callback')
      .query({ state, code: fake.issueCode(athleteId), scope: 'read,activity:read_all' })
      .expect(200);
    await eventually(async () => ((await lastSync(user, app)) >= before ? true : undefined), WAIT_MS, 'the backfill');
  }

  /** Every activity of the user (pages of 100, the most a list gives). */
  const activitiesOf = async (user: LoggedIn, app = t): Promise<ActivityJson[]> => {
    const all: ActivityJson[] = [];
    for (;;) {
      const page = (await app.http.get(`/activities?limit=100&skip=${all.length}`).set(user.auth).expect(200))
        .body as ActivityJson[];
      all.push(...page);
      if (page.length < 100) {
        return all;
      }
    }
  };

  /** Waits until the user has `count` activities (the jobs run after the answers). */
  const waitForActivities = (user: LoggedIn, count: number): Promise<ActivityJson[]> =>
    eventually(
      async () => {
        const list = await activitiesOf(user);
        return list.length >= count ? list : undefined;
      },
      WAIT_MS,
      `${count} activities`,
    );

  const postEvent = (event: Record<string, unknown>, app = t) =>
    app.http.post('/webhooks/strava').send(event).expect(200);

  /** Waits until every stored event about this object is processed; their outcomes. */
  const waitProcessed = (objectId: number, count = 1): Promise<string[]> =>
    eventually(
      async () => {
        const rows = await t.db.query<Array<{ processed_at: unknown; outcome: string | null }>>(
          `SELECT processed_at, outcome FROM strava_webhook_events WHERE object_id = '${objectId}' ORDER BY received_at`,
        );
        return rows.length >= count && rows.every((r) => r.processed_at !== null)
          ? rows.map((r) => r.outcome ?? '')
          : undefined;
      },
      WAIT_MS,
      `event on ${objectId} processed`,
    );

  const detailRequests = (activity: FakeStravaActivity): number =>
    fake.requests.filter((r) => r.path === `/api/v3/activities/${activity.id}`).length;

  const byName = (list: ActivityJson[], name: string): ActivityJson => {
    const found = list.find((a) => a.name === name);
    expect(found).toBeDefined();
    return found!;
  };

  it('connects through the consent page and backfills the last STRAVA_BACKFILL_DAYS through the upload pipeline', async () => {
    const { user, athleteId } = await rider();
    fake.addActivity({
      athleteId,
      name: 'Tempo hour',
      sport_type: 'Ride',
      start_date: daysAgo(2),
      seconds: 3600,
      watts: 200,
      heartrate: 150,
      cadence: 90,
    });
    fake.addActivity({
      athleteId,
      name: 'Spin class',
      sport_type: 'Ride',
      start_date: daysAgo(3),
      seconds: 2700,
      heartrate: 150,
      noStreams: true,
    });
    fake.addActivity({
      athleteId,
      name: 'Zwift',
      sport_type: 'VirtualRide',
      start_date: daysAgo(5),
      seconds: 1800,
      watts: 250,
    });
    fake.addActivity({
      athleteId,
      name: 'Too old',
      sport_type: 'Ride',
      start_date: daysAgo(31),
      seconds: 600,
      watts: 150,
    });

    // The browser's way: the authorize URL, Strava's consent (a 302 back), the callback.
    const authorize = await t.http.post('/connections/strava/authorize').set(user.auth).expect(200);
    const consent = await fetch(authorize.body.authorize_url as string, { redirect: 'manual' });
    expect(consent.status).toBe(302);
    const back = new URL(consent.headers.get('location')!);
    // The fake's consent answers for FAKE_ATHLETE_ID; this rider is another athlete: same state, its own code.
    const connected = await t.http
      .get('/connections/strava/callback')
      .query({
        state: back.searchParams.get('state')!,
        code: fake.issueCode(athleteId),
        scope: back.searchParams.get('scope')!,
      })
      .expect(200);
    expect(connected.body.athlete_id).toBe(athleteId);

    const list = await waitForActivities(user, 3);
    expect(list.map((a) => a.name).sort()).toEqual(['Spin class', 'Tempo hour', 'Zwift']);
    const listing = fake.requests.find((r) => r.path === '/api/v3/athlete/activities' && r.query.after)!;
    expect(Math.abs(Number(listing.query.after) - (Date.now() / 1000 - 30 * 86_400))).toBeLessThan(600);

    // Scored from its streams exactly as an uploaded file: NP of a constant 200 W is 200, IF 0.8.
    const tempo = byName(list, 'Tempo hour');
    expect(tempo).toMatchObject({
      source: 'strava',
      sport: 'ride',
      elapsed_s: 3600,
      avg_power: 200,
      normalized_power: 200,
      intensity_factor: 0.8,
      tss_method: 'power',
      ftp_used: 250,
      avg_hr: 150,
      avg_cadence: 90,
      distance_m: 28_800,
    });
    const moving = tempo.moving_s as number;
    expect([3600, 3601]).toContain(moving);
    expect(tempo.tss).toBeCloseTo(((moving * 200 * 0.8) / (250 * 3600)) * 100, 1);
    // 200 W of FTP 250 is 80 %: Tempo, zone 3.
    expect(tempo.time_in_power_zones_s).toEqual([0, 0, moving, 0, 0, 0, 0]);
    const streams = await t.http.get(`/activities/${tempo.id}/streams`).set(user.auth).expect(200);
    expect(Object.keys(streams.body).sort()).toEqual(
      ['altitude', 'cadence', 'distance', 'heart_rate', 'power', 'speed', 'time'].sort(),
    );
    expect(streams.body.time).toHaveLength(3601);
    expect(new Set(streams.body.power)).toEqual(new Set([200]));
    expect(new Set(streams.body.speed)).toEqual(new Set([8]));

    // Typed in on Strava (no streams): its moving time and heart rate, scored by the manual entry's rules.
    const spin = byName(list, 'Spin class');
    expect(spin).toMatchObject({ source: 'strava', moving_s: 2700, avg_hr: 150, tss_method: 'heart_rate' });
    expect(spin.tss).toBeCloseTo(0.75 * (150 / 170) ** 2 * 100, 1);
    await t.http.get(`/activities/${spin.id}/streams`).set(user.auth).expect(404);
    expect(byName(list, 'Zwift').sport).toBe('virtual_ride');

    const connections = await t.http.get('/connections').set(user.auth).expect(200);
    expect(connections.body[0].last_sync_at).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('pages through the athlete activities (100 a page) and imports every one', async () => {
    const { user, athleteId } = await rider();
    for (let i = 0; i < 101; i++) {
      fake.addActivity({
        athleteId,
        name: `Short ${i}`,
        sport_type: 'Ride',
        start_date: daysAgo(1 + (i % 20), 5 + Math.floor(i / 20)),
        seconds: 5,
        watts: 100 + i,
      });
    }
    await connect(user, athleteId);
    const list = await waitForActivities(user, 101);
    expect(new Set(list.map((a) => a.name)).size).toBe(101);
    const pages = fake.requests
      .filter((r) => r.path === '/api/v3/athlete/activities' && r.authorization !== undefined)
      .slice(-2)
      .map((r) => [r.query.page, r.query.per_page]);
    expect(pages).toEqual([
      ['1', '100'],
      ['2', '100'],
    ]);
  });

  it('imports an activity once whether the backfill or the webhook names it first, however often', async () => {
    const { user, athleteId } = await rider();
    const early = fake.addActivity({
      athleteId,
      name: 'Early',
      sport_type: 'Ride',
      start_date: daysAgo(1),
      seconds: 600,
      watts: 180,
    });
    await connect(user, athleteId);
    await waitForActivities(user, 1);
    // The webhook's create for the same activity, delivered three times: still one activity, no second fetch.
    for (let i = 0; i < 3; i++) {
      await postEvent(stravaEvent('create', early.id, athleteId, { eventTime: 1_800_000_000 }));
    }
    expect(await waitProcessed(early.id)).toEqual(['import queued']);
    // A job queued by the event finds it imported: no call to Strava for it.
    await eventually(async () => ((await activitiesOf(user)).length === 1 ? true : undefined), WAIT_MS);
    expect(detailRequests(early)).toBe(1);

    // The webhook first, then a reconnection's backfill lists it: not imported again.
    const late = fake.addActivity({
      athleteId,
      name: 'Late',
      sport_type: 'Ride',
      start_date: daysAgo(0, 1),
      seconds: 600,
      watts: 190,
    });
    await postEvent(stravaEvent('create', late.id, athleteId));
    await waitForActivities(user, 2);
    const listings = fake.countRequests('/api/v3/athlete/activities');
    await connect(user, athleteId);
    expect(fake.countRequests('/api/v3/athlete/activities')).toBe(listings + 1);
    const list = await activitiesOf(user);
    expect(list.map((a) => a.name).sort()).toEqual(['Early', 'Late']);
    expect(detailRequests(late)).toBe(1);
    const rows = await t.db.query<unknown[]>(
      `SELECT id FROM activities WHERE user_id = ${user.id} AND external_id IN ('strava:${early.id}', 'strava:${late.id}')`,
    );
    expect(rows).toHaveLength(2);
  });

  it('refreshes an expired access token before importing', async () => {
    const { user, athleteId } = await rider();
    await connect(user, athleteId);
    const [before] = await t.db.query<Array<{ access_token: string }>>(
      `SELECT access_token FROM provider_connections WHERE user_id = ${user.id}`,
    );
    fake.expireAccessTokens();
    await t.db.query(`UPDATE provider_connections SET access_expires_at = connected_at WHERE user_id = ${user.id}`);
    const refreshes = fake.requests.filter((r) => r.body.grant_type === 'refresh_token').length;
    const ride = fake.addActivity({
      athleteId,
      name: 'After expiry',
      sport_type: 'Ride',
      start_date: daysAgo(0, 2),
      seconds: 900,
      watts: 210,
    });
    await postEvent(stravaEvent('create', ride.id, athleteId));
    const [imported] = await waitForActivities(user, 1);
    expect(imported.name).toBe('After expiry');
    expect(fake.requests.filter((r) => r.body.grant_type === 'refresh_token').length).toBe(refreshes + 1);
    const [after] = await t.db.query<Array<{ access_token: string; access_expires_at: unknown }>>(
      `SELECT access_token, access_expires_at FROM provider_connections WHERE user_id = ${user.id}`,
    );
    expect(after.access_token).not.toBe(before.access_token);
    expect(after.access_token).toMatch(/^v1\./);
  });

  it('pauses the import queue on a 429 for its Retry-After and resumes without losing an activity', async () => {
    const { user, athleteId } = await rider();
    await connect(user, athleteId);
    const first = fake.addActivity({
      athleteId,
      name: 'First',
      sport_type: 'Ride',
      start_date: daysAgo(0, 3),
      seconds: 600,
      watts: 200,
    });
    const second = fake.addActivity({
      athleteId,
      name: 'Second',
      sport_type: 'Ride',
      start_date: daysAgo(0, 4),
      seconds: 600,
      watts: 220,
    });
    fake.failNext(1, { status: 429, retryAfter: 2, pathPrefix: `/api/v3/activities/${first.id}` });
    await postEvent(stravaEvent('create', first.id, athleteId));
    const pausedUntil = await eventually(
      async () => {
        const [row] = await t.db.query<Array<{ paused_until: string | Date | null; reason: string | null }>>(
          `SELECT paused_until, reason FROM provider_rate_limits WHERE provider = 'strava'`,
        );
        const until = row?.paused_until ? new Date(row.paused_until).getTime() : 0;
        return until > Date.now() - 60_000 && row.reason?.startsWith('429') ? until : undefined;
      },
      WAIT_MS,
      'the pause',
    );
    const refused = fake.requests.findIndex((r) => r.path === `/api/v3/activities/${first.id}`);
    // While paused, another import waits too instead of calling Strava.
    await postEvent(stravaEvent('create', second.id, athleteId));
    const list = await waitForActivities(user, 2);
    expect(list.map((a) => a.name).sort()).toEqual(['First', 'Second']);
    expect(detailRequests(first)).toBe(2);
    const later = fake.requests.slice(refused + 1).filter((r) => r.path.startsWith('/api/v3/'));
    expect(later.length).toBeGreaterThanOrEqual(4);
    for (const request of later) {
      expect(request.at).toBeGreaterThanOrEqual(pausedUntil);
    }
  });

  it('renames on a title update, re-imports in place on a sport change, deletes on delete', async () => {
    const { user, athleteId } = await rider();
    const ride = fake.addActivity({
      athleteId,
      name: 'Morning ride',
      sport_type: 'Ride',
      start_date: daysAgo(1),
      seconds: 1200,
      watts: 200,
    });
    await connect(user, athleteId);
    const [imported] = await waitForActivities(user, 1);
    await t.http.patch(`/activities/${imported.id}`).set(user.auth).send({ notes: 'legs heavy' }).expect(200);

    fake.renameActivity(ride.id, 'Col de la Madeleine');
    await postEvent(stravaEvent('update', ride.id, athleteId, { updates: { title: 'Col de la Madeleine' } }));
    expect(await waitProcessed(ride.id)).toEqual(['renamed']);
    const renamed = (await t.http.get(`/activities/${imported.id}`).set(user.auth).expect(200)).body;
    expect(renamed.name).toBe('Col de la Madeleine');
    expect(detailRequests(ride)).toBe(1);

    fake.updateActivity(ride.id, { sport_type: 'VirtualRide', watts: 250 });
    await postEvent(stravaEvent('update', ride.id, athleteId, { updates: { type: 'VirtualRide' } }));
    const outcomes = await waitProcessed(ride.id, 2);
    expect(outcomes[1]).toBe(`re-imported: updated ${imported.id}`);
    const reimported = (await t.http.get(`/activities/${imported.id}`).set(user.auth).expect(200)).body;
    expect(reimported).toMatchObject({
      sport: 'virtual_ride',
      normalized_power: 250,
      intensity_factor: 1,
      notes: 'legs heavy',
    });

    await postEvent(stravaEvent('delete', ride.id, athleteId));
    expect((await waitProcessed(ride.id, 3))[2]).toBe('deleted');
    await t.http.get(`/activities/${imported.id}`).set(user.auth).expect(404);

    // An update about an activity never imported (its create was missed) imports it.
    const missed = fake.addActivity({
      athleteId,
      name: 'Missed',
      sport_type: 'Run',
      start_date: daysAgo(0, 5),
      seconds: 900,
      heartrate: 150,
    });
    await postEvent(stravaEvent('update', missed.id, athleteId, { updates: { title: 'Missed' } }));
    const [run] = await waitForActivities(user, 1);
    expect(run).toMatchObject({ name: 'Missed', sport: 'run', tss_method: 'heart_rate' });
  });

  it("drops the connection on Strava's deauthorization event and keeps the activities", async () => {
    const { user, athleteId } = await rider();
    fake.addActivity({ athleteId, name: 'Kept', sport_type: 'Ride', start_date: daysAgo(1), seconds: 600, watts: 180 });
    await connect(user, athleteId);
    await waitForActivities(user, 1);
    await postEvent(
      stravaEvent('update', athleteId, athleteId, { objectType: 'athlete', updates: { authorized: 'false' } }),
    );
    expect(await waitProcessed(athleteId)).toEqual(['deauthorized: connection removed, activities kept']);
    expect((await t.http.get('/connections').set(user.auth).expect(200)).body).toEqual([]);
    const rows = await t.db.query<unknown[]>(`SELECT id FROM provider_connections WHERE user_id = ${user.id}`);
    expect(rows).toHaveLength(0);
    expect((await activitiesOf(user)).map((a) => a.name)).toEqual(['Kept']);
    // Its later events are ignored (no connection any more).
    const after = fake.addActivity({
      athleteId,
      name: 'After',
      sport_type: 'Ride',
      start_date: daysAgo(0, 1),
      seconds: 600,
      watts: 180,
    });
    await postEvent(stravaEvent('create', after.id, athleteId));
    const stored = await t.db.query<unknown[]>(`SELECT id FROM strava_webhook_events WHERE object_id = '${after.id}'`);
    expect(stored).toHaveLength(0);
  });

  it('disconnecting from here keeps the imported activities, or deletes them (and only them) when asked', async () => {
    const keeper = await rider();
    fake.addActivity({
      athleteId: keeper.athleteId,
      name: 'Stays',
      sport_type: 'Ride',
      start_date: daysAgo(1),
      seconds: 600,
      watts: 180,
    });
    await connect(keeper.user, keeper.athleteId);
    await waitForActivities(keeper.user, 1);
    await t.http.delete('/connections/strava').set(keeper.user.auth).expect(204);
    expect(fake.deauthorized).toContain(keeper.athleteId);
    expect((await activitiesOf(keeper.user)).map((a) => a.name)).toEqual(['Stays']);

    const leaver = await rider();
    fake.addActivity({
      athleteId: leaver.athleteId,
      name: 'Goes',
      sport_type: 'Ride',
      start_date: daysAgo(1),
      seconds: 600,
      watts: 180,
    });
    await connect(leaver.user, leaver.athleteId);
    await waitForActivities(leaver.user, 1);
    await postActivity(t.http, leaver.user.auth, { name: 'Typed here', start_time: daysAgo(2) });
    await t.http.delete('/connections/strava?delete_activities=true').set(leaver.user.auth).expect(204);
    expect((await activitiesOf(leaver.user)).map((a) => a.name)).toEqual(['Typed here']);
    expect((await t.http.get('/connections').set(leaver.user.auth).expect(200)).body).toEqual([]);
  });

  it('imports once when two instances receive the same webhook event', async () => {
    const { user, athleteId } = await rider();
    await connect(user, athleteId);
    const other = await createTestApp(env, { database: t.database });
    try {
      const ride = fake.addActivity({
        athleteId,
        name: 'Twice delivered',
        sport_type: 'Ride',
        start_date: daysAgo(0, 6),
        seconds: 900,
        watts: 230,
      });
      const event = stravaEvent('create', ride.id, athleteId);
      await Promise.all([postEvent(event), postEvent(event, other), postEvent(event), postEvent(event, other)]);
      await waitProcessed(ride.id);
      const [imported] = await waitForActivities(user, 1);
      expect(imported.name).toBe('Twice delivered');
      // Both instances see the one activity; Strava was asked for it once.
      expect((await activitiesOf(user, other)).map((a) => a.id)).toEqual([imported.id]);
      const rows = await t.db.query<unknown[]>(`SELECT id FROM strava_webhook_events WHERE object_id = '${ride.id}'`);
      expect(rows).toHaveLength(1);
      expect(detailRequests(ride)).toBe(1);
    } finally {
      await other.close();
    }
  });

  it('pauses the imports until the next 15-minute window when X-RateLimit-Usage says the budget is spent', async () => {
    // An app of its own (its pause would hold up the suite's other tests), last: two apps in one process
    // share Passport's strategies, so the suite's app cannot authenticate once another app has closed.
    const solo = await createTestApp(env);
    try {
      const { user, athleteId } = await rider(solo);
      await connect(user, athleteId, solo);
      const deferred = async (): Promise<number> => {
        const text = (await solo.http.get('/metrics').expect(200)).text;
        return Number(/^jobs_total\{name="strava-import",outcome="deferred"\} (\d+)$/m.exec(text)?.[1] ?? 0);
      };
      const deferredBefore = await deferred();
      const ride = fake.addActivity({
        athleteId,
        name: 'Over budget',
        sport_type: 'Ride',
        start_date: daysAgo(0, 7),
        seconds: 600,
        watts: 200,
      });
      // Strava answers the details, but says the 15-minute budget (200) is spent: nothing more until the window ends.
      fake.setUsage(200, 300);
      try {
        const windowMs = 15 * 60_000;
        const windows = [Math.floor(Date.now() / windowMs) * windowMs + windowMs];
        windows.push(windows[0] + windowMs);
        await postEvent(stravaEvent('create', ride.id, athleteId), solo);
        await eventually(async () => ((await deferred()) > deferredBefore ? true : undefined), WAIT_MS, 'a deferral');
        const [row] = await solo.db.query<Array<{ paused_until: string | Date; reason: string }>>(
          `SELECT paused_until, reason FROM provider_rate_limits WHERE provider = 'strava'`,
        );
        expect(windows).toContain(new Date(row.paused_until).getTime());
        expect(row.reason).toMatch(/^budget spent/);
        // The details were fetched; the streams were never asked for while paused, and nothing is imported yet.
        expect(detailRequests(ride)).toBe(1);
        expect(fake.countRequests(`/api/v3/activities/${ride.id}/streams`)).toBe(0);
        expect(await activitiesOf(user, solo)).toEqual([]);
      } finally {
        fake.setUsage(1, 1);
      }
    } finally {
      await solo.close();
    }
  });
});
