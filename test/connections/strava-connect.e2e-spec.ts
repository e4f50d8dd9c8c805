import { FAKE_ATHLETE_ID, startFakeStrava, type FakeStrava } from '../helpers/fake-strava.server';
import { registerAndLogin, type LoggedIn } from '../helpers/auth';
import { createTestApp, type TestApp } from '../helpers/test-app';

const REDIRECT_URI = 'http://127.0.0.1:3999/connections/strava/callback';
const VERIFY_TOKEN = 'verify-token-for-the-strava-suite';

describe('Strava connection (e2e, against the fake Strava)', () => {
  let t: TestApp;
  let fake: FakeStrava;

  beforeAll(async () => {
    fake = await startFakeStrava();
    t = await createTestApp({
      STRAVA_BASE_URL: fake.url,
      STRAVA_CLIENT_ID: fake.clientId,
      STRAVA_CLIENT_SECRET: fake.clientSecret,
      STRAVA_REDIRECT_URI: REDIRECT_URI,
      STRAVA_WEBHOOK_VERIFY_TOKEN: VERIFY_TOKEN,
    });
  });

  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  /** POST /connections/strava/authorize; returns the state from the URL. */
  async function authorize(user: LoggedIn): Promise<string> {
    const res = await t.http.post('/connections/strava/authorize').set(user.auth).expect(200);
    return new URL(res.body.authorize_url as string).searchParams.get('state')!;
  }

  /** The athlete approves on (fake) Strava: the browser comes back with these query parameters. */
  async function consent(authorizeUrl: string): Promise<Record<string, string>> {
    const res = await fetch(authorizeUrl, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const back = new URL(res.headers.get('location')!);
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT_URI);
    return Object.fromEntries(back.searchParams);
  }

  const callback = (query: Record<string, string>) => t.http.get('/connections/strava/callback').query(query);

  async function connect(user: LoggedIn, athleteId = FAKE_ATHLETE_ID): Promise<void> {
    const state = await authorize(user);
    await callback({ state, code: fake.issueCode(athleteId), scope: 'read,activity:read_all' }).expect(200);
  }

  const rowOf = async (userId: number): Promise<Record<string, unknown> | undefined> =>
    (
      await t.db.query<Array<Record<string, unknown>>>(
        `SELECT * FROM provider_connections WHERE user_id = ${Number(userId)}`,
      )
    )[0];

  it('connects: authorize URL, consent at Strava, callback, then GET /connections without any token', async () => {
    const user = await registerAndLogin(t.http);
    const res = await t.http.post('/connections/strava/authorize').set(user.auth).expect(200);
    const url = new URL(res.body.authorize_url as string);
    expect(`${url.origin}${url.pathname}`).toBe(`${fake.url}/oauth/authorize`);
    expect(url.searchParams.get('client_id')).toBe(fake.clientId);
    expect(url.searchParams.get('redirect_uri')).toBe(REDIRECT_URI);
    expect(url.searchParams.get('response_type')).toBe('code');
    expect(url.searchParams.get('scope')).toBe('activity:read_all');
    expect(url.searchParams.get('state')).toMatch(/^[\w-]{43}\.[\w-]{43}$/);

    const back = await consent(url.toString());
    const connected = await callback(back).expect(200);
    expect(connected.body).toEqual({
      provider: 'strava',
      status: 'connected',
      athlete_id: FAKE_ATHLETE_ID,
      scopes: ['read', 'activity:read_all'],
      connected_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      last_sync_at: null,
      last_error: null,
    });
    const list = await t.http.get('/connections').set(user.auth).expect(200);
    // The backfill (strava-import.e2e-spec.ts) may have run already and set last_sync_at.
    expect(list.body).toEqual([{ ...connected.body, last_sync_at: list.body[0].last_sync_at }]);
    expect(JSON.stringify(list.body)).not.toMatch(/access|refresh/);

    // The code was exchanged with the client secret, and the tokens are sealed in the database.
    const exchange = fake.requests.find((r) => r.path === '/oauth/token' && r.body.code === back.code)!;
    expect(exchange.body).toMatchObject({ grant_type: 'authorization_code', client_id: fake.clientId });
    expect(exchange.body.client_secret).toBe(fake.clientSecret);
    const row = (await rowOf(user.id))!;
    const dump = JSON.stringify(row);
    for (const token of fake.liveAccessTokens()) {
      expect(dump).not.toContain(token);
    }
    expect(dump).not.toMatch(/refresh_[0-9a-f]{32}/);
    expect(row.access_token).toMatch(/^v1\.[0-9a-f]{8}\./);
    expect(row.refresh_token).toMatch(/^v1\.[0-9a-f]{8}\./);
  });

  it('refuses a forged, unknown, expired or reused state with 400, and connects nobody', async () => {
    const user = await registerAndLogin(t.http);
    const state = await authorize(user);
    const [nonce, signature] = state.split('.');
    const flipped = `${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
    for (const forged of [`${nonce}.${flipped}`, nonce, `${nonce}.${signature}.x`, 'x.y', '1', `${user.id}`]) {
      const res = await callback({ state: forged, code: fake.issueCode(FAKE_ATHLETE_ID), scope: 'activity:read_all' });
      expect(res.status).toBe(400);
      expect(res.body.detail).toBe('Invalid OAuth state');
    }
    await callback({ code: fake.issueCode(FAKE_ATHLETE_ID), scope: 'activity:read_all' }).expect(400);

    const expired = await authorize(user);
    await t.db.query(`UPDATE oauth_states SET expires_at = created_at WHERE user_id = ${user.id}`);
    const late = await callback({
      state: expired,
      code: fake.issueCode(FAKE_ATHLETE_ID + 1),
      scope: 'activity:read_all',
    });
    expect(late.status).toBe(400);
    expect(late.body.detail).toMatch(/expired/);
    expect(await rowOf(user.id)).toBeUndefined();

    const once = await authorize(user);
    await callback({ state: once, code: fake.issueCode(FAKE_ATHLETE_ID + 2), scope: 'activity:read_all' }).expect(200);
    const again = await callback({
      state: once,
      code: fake.issueCode(FAKE_ATHLETE_ID + 3),
      scope: 'activity:read_all',
    });
    expect(again.status).toBe(400);
    expect(again.body.detail).toMatch(/already used/);
    expect((await rowOf(user.id))!.athlete_id).toBe(String(FAKE_ATHLETE_ID + 2));
  });

  it('uses a state once when two callbacks race with it', async () => {
    const user = await registerAndLogin(t.http);
    const state = await authorize(user);
    const answers = await Promise.all(
      [4, 5, 6, 7].map((n) =>
        callback({ state, code: fake.issueCode(FAKE_ATHLETE_ID + 100 + n), scope: 'activity:read_all' }),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 400, 400, 400]);
  });

  it('gives the connection to the user the state was made for, whoever follows the link', async () => {
    const owner = await registerAndLogin(t.http);
    const other = await registerAndLogin(t.http);
    const state = await authorize(owner);
    await callback({ state, code: fake.issueCode(FAKE_ATHLETE_ID + 10), scope: 'activity:read_all' })
      .set(other.auth)
      .expect(200);
    expect((await t.http.get('/connections').set(owner.auth).expect(200)).body).toHaveLength(1);
    expect((await t.http.get('/connections').set(other.auth).expect(200)).body).toEqual([]);
  });

  it('requires the activity scope, and refuses a declined consent', async () => {
    const user = await registerAndLogin(t.http);
    const noScope = await callback({
      state: await authorize(user),
      code: fake.issueCode(FAKE_ATHLETE_ID + 20, 'read'),
      scope: 'read',
    });
    expect(noScope.status).toBe(400);
    expect(noScope.body.detail).toMatch(/activity:read_all/);
    const declined = await callback({ state: await authorize(user), error: 'access_denied' });
    expect(declined.status).toBe(400);
    expect(declined.body.detail).toMatch(/declined/);
    expect(await rowOf(user.id)).toBeUndefined();
    // activity:read (public activities only) is enough.
    await callback({
      state: await authorize(user),
      code: fake.issueCode(FAKE_ATHLETE_ID + 21, 'read,activity:read'),
      scope: 'read,activity:read',
    }).expect(200);
  });

  it('refuses a Strava athlete already connected to another account, and a code Strava refuses', async () => {
    const first = await registerAndLogin(t.http);
    const second = await registerAndLogin(t.http);
    await connect(first, FAKE_ATHLETE_ID + 30);
    const taken = await callback({
      state: await authorize(second),
      code: fake.issueCode(FAKE_ATHLETE_ID + 30),
      scope: 'activity:read_all',
    });
    expect(taken.status).toBe(400);
    expect(taken.body.detail).toMatch(/another account/);
    const badCode = await callback({ state: await authorize(second), code: 'not-a-code', scope: 'activity:read_all' });
    expect(badCode.status).toBe(400);
    expect(badCode.body.detail).toMatch(/refused the authorization code/);
    fake.failNext(1, { status: 503, pathPrefix: '/oauth/token' });
    const down = await callback({
      state: await authorize(second),
      code: fake.issueCode(FAKE_ATHLETE_ID + 31),
      scope: 'activity:read_all',
    });
    expect(down.status).toBe(502);
    expect(await rowOf(second.id)).toBeUndefined();
  });

  it('redirects the browser to STRAVA_SUCCESS_REDIRECT when it is set', async () => {
    const user = await registerAndLogin(t.http);
    t.config.STRAVA_SUCCESS_REDIRECT = 'http://localhost:3000/settings/connections?connected=strava';
    try {
      const res = await callback({
        state: await authorize(user),
        code: fake.issueCode(FAKE_ATHLETE_ID + 40),
        scope: 'read,activity:read_all',
      });
      expect(res.status).toBe(302);
      expect(res.headers.location).toBe('http://localhost:3000/settings/connections?connected=strava');
      expect(res.text).not.toMatch(/token/);
    } finally {
      t.config.STRAVA_SUCCESS_REDIRECT = undefined;
    }
    expect((await t.http.get('/connections').set(user.auth).expect(200)).body).toHaveLength(1);
  });

  it('disconnects: deauthorizes at Strava with a refreshed token, deletes the tokens, then 404', async () => {
    const user = await registerAndLogin(t.http);
    await connect(user, FAKE_ATHLETE_ID + 50);
    // The access token has expired: it is refreshed (refresh grant) before the deauthorization.
    fake.expireAccessTokens();
    await t.db.query(`UPDATE provider_connections SET access_expires_at = connected_at WHERE user_id = ${user.id}`);
    const refreshesBefore = fake.requests.filter((r) => r.body.grant_type === 'refresh_token').length;
    await t.http.delete('/connections/strava').set(user.auth).expect(204);
    expect(fake.requests.filter((r) => r.body.grant_type === 'refresh_token').length).toBe(refreshesBefore + 1);
    expect(fake.deauthorized).toContain(FAKE_ATHLETE_ID + 50);
    expect(await rowOf(user.id)).toBeUndefined();
    expect((await t.http.get('/connections').set(user.auth).expect(200)).body).toEqual([]);
    const again = await t.http.delete('/connections/strava').set(user.auth).expect(404);
    expect(again.body.detail).toBe('Connection not found');
    await t.http.delete('/connections/strava?delete_activities=maybe').set(user.auth).expect(422);
  });

  it('still disconnects when Strava refuses the refresh token', async () => {
    const user = await registerAndLogin(t.http);
    await connect(user, FAKE_ATHLETE_ID + 60);
    await t.db.query(`UPDATE provider_connections SET access_expires_at = connected_at WHERE user_id = ${user.id}`);
    fake.failNext(1, { status: 400, pathPrefix: '/oauth/token' });
    await t.http.delete('/connections/strava').set(user.auth).expect(204);
    expect(await rowOf(user.id)).toBeUndefined();
  });

  it('needs a token for the authenticated routes, and answers 503 when Strava is not configured', async () => {
    await t.http.get('/connections').expect(403);
    await t.http.post('/connections/strava/authorize').expect(403);
    await t.http.delete('/connections/strava').expect(403);
    const user = await registerAndLogin(t.http);
    const saved = t.config.STRAVA_CLIENT_ID;
    t.config.STRAVA_CLIENT_ID = undefined;
    try {
      const res = await t.http.post('/connections/strava/authorize').set(user.auth).expect(503);
      expect(res.body.detail).toBe('Strava is not configured on this server');
    } finally {
      t.config.STRAVA_CLIENT_ID = saved;
    }
  });

  describe('webhook', () => {
    const event = (over: Record<string, unknown> = {}) => ({
      object_type: 'activity',
      object_id: 10_000_000_999,
      aspect_type: 'create',
      owner_id: FAKE_ATHLETE_ID,
      subscription_id: 1,
      event_time: 1_764_000_000,
      updates: {},
      ...over,
    });

    it('answers the subscription check only with our verify token', async () => {
      const ok = await t.http
        .get('/webhooks/strava')
        .query({ 'hub.mode': 'subscribe', 'hub.verify_token': VERIFY_TOKEN, 'hub.challenge': 'c4ll3nge' })
        .expect(200);
      expect(ok.body).toEqual({ 'hub.challenge': 'c4ll3nge' });
      for (const query of [
        { 'hub.mode': 'subscribe', 'hub.verify_token': 'wrong', 'hub.challenge': 'x' },
        { 'hub.mode': 'unsubscribe', 'hub.verify_token': VERIFY_TOKEN, 'hub.challenge': 'x' },
        { 'hub.mode': 'subscribe', 'hub.challenge': 'x' },
        {},
      ]) {
        const res = await t.http.get('/webhooks/strava').query(query).expect(403);
        expect(res.body.detail).toBe('Webhook verification failed');
      }
    });

    it('stores an event of a connected athlete once, however many times or instances it arrives', async () => {
      const user = await registerAndLogin(t.http);
      await connect(user, FAKE_ATHLETE_ID + 70);
      const body = event({ owner_id: FAKE_ATHLETE_ID + 70 });
      const answers = await Promise.all(Array.from({ length: 6 }, () => t.http.post('/webhooks/strava').send(body)));
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200]);
      expect(answers[0].body).toEqual({ status: 'received' });
      const rows = await t.db.query<unknown[]>(
        `SELECT event_key FROM strava_webhook_events WHERE owner_id = '${FAKE_ATHLETE_ID + 70}'`,
      );
      expect(rows).toHaveLength(1);
      // Another aspect of the same object is another event.
      await t.http
        .post('/webhooks/strava')
        .send({ ...body, aspect_type: 'update', updates: { title: 'Renamed' } })
        .expect(200);
      const after = await t.db.query<unknown[]>(
        `SELECT event_key FROM strava_webhook_events WHERE owner_id = '${FAKE_ATHLETE_ID + 70}'`,
      );
      expect(after).toHaveLength(2);
    });

    it('ignores events of unknown athletes with 200, and refuses malformed ones with 422', async () => {
      await t.http
        .post('/webhooks/strava')
        .send(event({ owner_id: 1 }))
        .expect(200);
      const rows = await t.db.query<unknown[]>(`SELECT id FROM strava_webhook_events WHERE owner_id = '1'`);
      expect(rows).toHaveLength(0);
      const bad = await t.http
        .post('/webhooks/strava')
        .send(event({ aspect_type: 'explode', object_id: 'x' }))
        .expect(422);
      expect(bad.body.detail.map((d: { loc: string[] }) => d.loc[1]).sort()).toEqual(['aspect_type', 'object_id']);
    });
  });
});
