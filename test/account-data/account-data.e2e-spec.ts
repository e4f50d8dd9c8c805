import { generateSync } from 'otplib';
import { LAST_ADMIN } from '../../src/account-data/account-deletion.service';
import { fitFile, ride } from '../helpers/activity-files';
import { type LoggedIn, meWith, refreshWith, registerAdmin, registerAndLogin, uniqueEmail } from '../helpers/auth';
import { startFakeOpenAi, type FakeOpenAi } from '../helpers/fake-openai.server';
import { FAKE_ATHLETE_ID, startFakeStrava, type FakeStrava } from '../helpers/fake-strava.server';
import { nextEml, tokenIn } from '../helpers/mail';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { createMission, moveThrough } from '../helpers/missions';
import { utcDate } from '../helpers/dates';
import { manualActivity, putAthlete } from '../helpers/training';

/** The code an authenticator app shows `steps` periods from now. */
const codeFor = (secret: string, steps = 0): string =>
  generateSync({ secret, epoch: Math.floor(Date.now() / 1000) + steps * 30 });

/** The export document's keys, in order. */
const DOCUMENT_KEYS = [
  'format',
  'version',
  'exported_at',
  'user',
  'athlete',
  'sessions',
  'missions',
  'mission_drafts',
  'activities',
  'wellness_days',
  'coach_runs',
  'connections',
  'audit_logs',
];

/** Tables that hold the account's rows besides those keyed by `user_id` (found through their parent). */
const INDIRECT = ['activity_streams', 'coach_runs', 'strava_webhook_events'];

/** Everything one filled account holds, and the secrets that must never leave the server. */
interface Filled {
  user: LoggedIn;
  missionName: string;
  missionId: string;
  activityIds: string[];
  athleteId: number;
  totpSecret: string;
  recoveryCodes: string[];
  /** A login waiting for its second factor. */
  mfaToken: string;
  resetToken: string;
  emailChangeToken: string;
}

describe('leaving, and taking your data: export and deletion (e2e)', () => {
  let t: TestApp;
  let openai: FakeOpenAi;
  let strava: FakeStrava;
  let athleteSeq = 500;

  beforeAll(async () => {
    openai = await startFakeOpenAi();
    strava = await startFakeStrava();
    t = await createTestApp({
      OPENAI_API_KEY: 'test-key',
      OPENAI_BASE_URL: openai.url,
      STRAVA_BASE_URL: strava.url,
      STRAVA_CLIENT_ID: strava.clientId,
      STRAVA_CLIENT_SECRET: strava.clientSecret,
      STRAVA_REDIRECT_URI: 'http://127.0.0.1:3999/connections/strava/callback',
      STRAVA_WEBHOOK_VERIFY_TOKEN: 'verify-token-for-the-account-data-suite',
    });
  });
  afterAll(async () => {
    await t?.close();
    await openai?.close();
    await strava?.close();
  });

  const isPostgres = (): boolean => t.db.options.type === 'postgres';

  /** Every table with a `user_id` column, read from the live schema (a new one must show up here). */
  async function userTables(): Promise<string[]> {
    const rows = await t.db.query<{ table_name: string }[]>(
      isPostgres()
        ? `SELECT table_name FROM information_schema.columns WHERE column_name = 'user_id' AND table_schema = current_schema()`
        : `SELECT m.name AS table_name FROM sqlite_master m JOIN pragma_table_info(m.name) p
           WHERE m.type = 'table' AND p.name = 'user_id'`,
    );
    return rows.map((row) => row.table_name).sort();
  }

  /** The account's rows, table by table, counted in the database. */
  async function rowCounts(f: Filled): Promise<Record<string, number>> {
    const count = async (sql: string): Promise<number> => Number((await t.db.query<{ n: unknown }[]>(sql))[0].n);
    const counts: Record<string, number> = {};
    for (const table of await userTables()) {
      counts[table] = await count(`SELECT count(*) AS n FROM ${table} WHERE user_id = ${f.user.id}`);
    }
    const ids = f.activityIds.map((id) => `'${id}'`).join(',');
    counts.activity_streams = await count(`SELECT count(*) AS n FROM activity_streams WHERE activity_id IN (${ids})`);
    counts.coach_runs = await count(`SELECT count(*) AS n FROM coach_runs WHERE mission_id = '${f.missionId}'`);
    counts.strava_webhook_events = await count(
      `SELECT count(*) AS n FROM strava_webhook_events WHERE owner_id = '${f.athleteId}'`,
    );
    return counts;
  }

  /** An account with rows in every table an account can own, texts of its own, and live tokens of every kind. */
  async function fillAccount(tag: string): Promise<Filled> {
    const user = await registerAndLogin(t.http, { email: uniqueEmail(`leaver-${tag}`) });
    const asUser = (req: ReturnType<typeof t.http.get>) =>
      req.set(user.auth).set('User-Agent', `TestBrowser/1.0 (${user.email.toUpperCase()})`);
    const missionName = `Secret-Mission-${tag}-${user.id}`;
    await putAthlete(t.http, user.auth, { ftp: 250, ftp_effective_from: '2025-01-01', weight_kg: 70 });
    const mission = await createMission(t.http, user.auth, { name: missionName });
    await moveThrough(t.http, user.auth, mission.id, ['TRAINING']);
    await t.http.post(`/missions/${mission.id}/runs`).set(user.auth).expect(201);
    // Text the user typed lands in audit rows: a path, a user agent, a request id.
    await asUser(t.http.get(`/missions/${missionName}`)).expect(404);
    await asUser(t.http.get('/missions')).set('X-Request-Id', `req-${missionName}`).expect(200);
    await asUser(t.http.get(`/missions/${mission.id}`)).expect(200);
    await t.http.get('/activities').set(user.auth).set('User-Agent', `Notes: Legs felt ${tag}`).expect(200);
    // A request refused before its user is known is anonymous, and can still carry the email.
    await t.http.get('/users/me').set('Authorization', 'Bearer not-a-token').set('User-Agent', user.email).expect(401);
    await t.http
      .post('/missions/draft')
      .set(user.auth)
      .send({
        event_name: `Draft event ${tag}`,
        event_date: utcDate(100),
        mission_type: 'gravel_ultra',
        weekly_hours: { min: 6, max: 10 },
        current_ftp: 250,
      })
      .expect(201);
    const uploaded = await t.http
      .post('/activities/upload')
      .set(user.auth)
      .field('name', `Upload ${tag}`)
      .attach('file', fitFile(ride(600)), 'ride.fit')
      .expect(201);
    const manual = await t.http
      .post('/activities')
      .set(user.auth)
      .send(manualActivity({ name: `Manual ${tag}`, notes: `Legs felt ${tag}` }))
      .expect(201);
    await t.http
      .put('/wellness/2025-05-01')
      .set(user.auth)
      .send({ readiness: 80, notes: `Slept ${tag}` })
      .expect(200);

    const athleteId = FAKE_ATHLETE_ID + athleteSeq++;
    const authorize = async () =>
      new URL(
        (await t.http.post('/connections/strava/authorize').set(user.auth).expect(200)).body.authorize_url as string,
      ).searchParams.get('state')!;
    await t.http
      .get('/connections/strava/callback')
      .query({ state: await authorize(), code: strava.issueCode(athleteId), scope: 'read,activity:read_all' })
      .expect(200);
    await authorize(); // a pending OAuth state
    await t.http
      .post('/webhooks/strava')
      .send({
        object_type: 'activity',
        object_id: 10_000_000_000 + athleteId,
        aspect_type: 'update',
        owner_id: athleteId,
        subscription_id: 1,
        event_time: 1_764_000_000,
        updates: { title: `Strava title ${tag}` },
      })
      .expect(200);

    await t.http.post('/auth/password/forgot').send({ email: user.email }).expect(202);
    const resetToken = tokenIn(await nextEml(t.config.LOG_DIR, user.email, 2));
    const newEmail = uniqueEmail(`new-${tag}`);
    await t.http
      .patch('/users/me/email')
      .set(user.auth)
      .send({ new_email: newEmail, current_password: user.password })
      .expect(202);
    const emailChangeToken = tokenIn(await nextEml(t.config.LOG_DIR, newEmail));

    const setup = await t.http.post('/auth/mfa/totp/setup').set(user.auth).expect(200);
    const totpSecret = setup.body.secret as string;
    const enabled = await t.http
      .post('/auth/mfa/totp/enable')
      .set(user.auth)
      .send({ code: codeFor(totpSecret) })
      .expect(200);
    const login = await t.http.post('/auth/login').send({ email: user.email, password: user.password }).expect(200);
    return {
      user,
      missionName,
      missionId: mission.id,
      activityIds: [uploaded.body.id as string, manual.body.id as string],
      athleteId,
      totpSecret,
      recoveryCodes: enabled.body.recovery_codes as string[],
      mfaToken: login.body.mfa_token as string,
      resetToken,
      emailChangeToken,
    };
  }

  const deleteAccount = (user: LoggedIn, body: Record<string, unknown>) =>
    t.http.delete('/users/me').set(user.auth).send(body);

  let rider: Filled;
  let other: Filled;

  it('builds accounts with rows in every table an account can own', async () => {
    rider = await fillAccount('rider');
    other = await fillAccount('other');
    const counts = await rowCounts(rider);
    expect(Object.keys(counts).sort()).toEqual(
      [
        ...INDIRECT,
        'account_tokens',
        'activities',
        'athlete_profiles',
        'audit_logs',
        'ftp_history',
        'mail_outbox',
        'mfa_challenges',
        'mfa_recovery_codes',
        'mission_drafts',
        'missions',
        'oauth_states',
        'provider_connections',
        'sessions',
        'user_mfa',
        'wellness_days',
      ].sort(),
    );
    for (const [table, n] of Object.entries(counts)) {
      expect([table, n > 0]).toEqual([table, true]);
    }
  });

  it('exports everything the account owns as an attachment, and no secret', async () => {
    const { user } = rider;
    const res = await t.http.get('/users/me/export').set(user.auth).expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="lanterne-rouge-export-\d{4}-\d\d-\d\d\.json"$/,
    );
    expect(res.headers['cache-control']).toBe('no-store');
    const doc = JSON.parse(res.text) as Record<string, unknown[]> & Record<string, unknown>;
    expect(Object.keys(doc)).toEqual(DOCUMENT_KEYS);
    expect(doc).toMatchObject({ format: 'lanterne-rouge-export', version: 1 });

    // Each section holds what the account's own routes answer.
    expect(doc.user).toEqual((await meWith(t.http, user.access).expect(200)).body);
    expect(doc.athlete).toEqual((await t.http.get('/athlete').set(user.auth).expect(200)).body);
    expect(doc.missions).toEqual((await t.http.get('/missions').set(user.auth).expect(200)).body);
    expect(doc.connections).toEqual((await t.http.get('/connections').set(user.auth).expect(200)).body);
    expect(doc.coach_runs).toEqual(
      (await t.http.get(`/missions/${rider.missionId}/runs`).set(user.auth).expect(200)).body,
    );
    expect(doc.coach_runs).toHaveLength(1);
    const sessions = await t.db.query<{ id: number }[]>(`SELECT id FROM sessions WHERE user_id = ${user.id}`);
    expect((doc.sessions as { id: number }[]).map((s) => s.id).sort()).toEqual(
      sessions.map((s) => Number(s.id)).sort(),
    );
    expect(doc.sessions).toContainEqual(expect.objectContaining({ current: true, is_valid: true }));
    expect(doc.mission_drafts).toEqual([
      expect.objectContaining({
        draft_id: expect.any(String),
        draft: expect.objectContaining({ name: expect.any(String) }),
      }),
    ]);
    expect(doc.wellness_days).toEqual([expect.objectContaining({ date: '2025-05-01', notes: 'Slept rider' })]);
    const activities = doc.activities as { id: string; name: string; streams: unknown }[];
    expect(activities.map((a) => a.id).sort()).toEqual([...rider.activityIds].sort());
    for (const activity of activities) {
      const own = await t.http.get(`/activities/${activity.id}`).set(user.auth).expect(200);
      expect({ ...activity, streams: undefined }).toEqual({ ...own.body, streams: undefined });
      const streams = await t.http.get(`/activities/${activity.id}/streams`).set(user.auth);
      expect(activity.streams).toEqual(streams.status === 200 ? streams.body : null);
    }
    expect(activities.find((a) => a.name === 'Upload rider')?.streams).toMatchObject({ time: expect.any(Array) });
    const auditIds = (
      await t.db.query<{ id: number }[]>(`SELECT id FROM audit_logs WHERE user_id = ${user.id} ORDER BY id`)
    ).map((row) => Number(row.id));
    const exported = doc.audit_logs as { id: number; user_id: number }[];
    expect(exported.every((row) => row.user_id === user.id)).toBe(true);
    expect(auditIds).toEqual(expect.arrayContaining(exported.map((row) => row.id)));
    expect(exported.length).toBeGreaterThan(10);

    // No secret, no other account.
    const [account] = await t.db.query<{ hashed_password: string }[]>(
      `SELECT hashed_password FROM users WHERE id = ${user.id}`,
    );
    const secrets = [
      account.hashed_password,
      user.access,
      user.refresh,
      rider.totpSecret,
      rider.mfaToken,
      rider.resetToken,
      rider.emailChangeToken,
      ...rider.recoveryCodes,
      ...strava.liveAccessTokens(),
      ...(
        await t.db.query<Record<string, string>[]>(`SELECT access_token_jti, refresh_token_jti FROM sessions`)
      ).flatMap(Object.values),
      ...(
        await t.db.query<Record<string, string>[]>(`SELECT access_token, refresh_token FROM provider_connections`)
      ).flatMap(Object.values),
      ...(await t.db.query<{ totp_secret: string }[]>(`SELECT totp_secret FROM user_mfa`)).map((r) => r.totp_secret),
    ];
    expect(secrets.length).toBeGreaterThan(15);
    for (const secret of secrets) {
      expect(res.text).not.toContain(secret);
    }
    expect(res.text).not.toMatch(/hashed_password|totp_secret|refresh_token|access_token/);
    expect(res.text).not.toContain(other.missionName);
    expect(res.text).not.toContain(other.user.email);

    const row = await t.db.query<{ status_code: number }[]>(
      `SELECT status_code FROM audit_logs WHERE user_id = ${user.id} AND action = 'user.export'`,
    );
    expect(row.map((r) => Number(r.status_code))).toEqual([200]);
  });

  it('documents both routes, with a schema for the whole document', async () => {
    const spec = (await t.http.get('/openapi.json').expect(200)).body;
    const exportOp = spec.paths['/users/me/export'].get;
    expect(exportOp).toMatchObject({ operationId: 'exportAccount', summary: expect.stringMatching(/JSON document/) });
    expect(exportOp.responses['200'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/AccountExportDto',
    });
    expect(exportOp.responses['429']).toBeDefined();
    expect(Object.keys(spec.components.schemas.AccountExportDto.properties)).toEqual(DOCUMENT_KEYS);
    const deleteOp = spec.paths['/users/me'].delete;
    expect(deleteOp).toMatchObject({
      operationId: 'deleteAccount',
      summary: expect.stringMatching(/Delete your account/),
    });
    expect(deleteOp.requestBody.content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/DeleteAccountDto',
    });
    expect(Object.keys(deleteOp.responses)).toEqual(expect.arrayContaining(['204', '400', '401', '403', '422', '429']));
  });

  it('changes nothing on a wrong password, a missing or wrong code', async () => {
    const before = await rowCounts(rider);
    const refused = [
      [
        { password: 'not-my-password', code: codeFor(rider.totpSecret, 1) },
        'Password is incorrect',
        'password_incorrect',
      ],
      [
        { password: rider.user.password },
        'Two-factor authentication is on: send code or recovery_code',
        'code_required',
      ],
      [{ password: rider.user.password, code: codeFor(rider.totpSecret, 5) }, 'Invalid code', 'code_invalid'],
      [{ password: rider.user.password, recovery_code: 'aaaa-bbbb-cccc-dddd' }, 'Invalid code', 'code_invalid'],
    ] as const;
    for (const [body, detail, code] of refused) {
      expect((await deleteAccount(rider.user, body).expect(400)).body).toEqual({ detail, code });
    }
    await deleteAccount(rider.user, { password: rider.user.password, code: null }).expect(422);
    const after = await rowCounts(rider);
    expect({ ...after, audit_logs: 0 }).toEqual({ ...before, audit_logs: 0 });
    expect(after.audit_logs).toBe(before.audit_logs + refused.length + 1);
    await meWith(t.http, rider.user.access).expect(200);
    const refusals = await t.db.query<{ action: string; status_code: number }[]>(
      `SELECT action, status_code FROM audit_logs WHERE user_id = ${rider.user.id} AND action LIKE '%delete%'`,
    );
    expect(refusals.map((r) => `${r.action} ${Number(r.status_code)}`)).toEqual([
      ...refused.map(() => 'user.delete 400'),
      'user.delete 422',
    ]);
  });

  it('deletes the account and everything it owns at once; every token dies; audit rows stay, scrubbed', async () => {
    const { user } = rider;
    const pending = await t.http.post('/auth/login').send({ email: user.email, password: user.password }).expect(200);
    const second = await t.http
      .post('/auth/mfa/verify')
      .send({ mfa_token: pending.body.mfa_token as string, code: codeFor(rider.totpSecret, 1) })
      .expect(200);
    const typed = [user.email, rider.missionName, 'legs felt rider'];
    const auditText = async () => JSON.stringify(await t.db.query(`SELECT * FROM audit_logs`)).toLowerCase();
    for (const text of typed) {
      expect([text, (await auditText()).includes(text.toLowerCase())]).toEqual([text, true]);
    }
    const otherBefore = await rowCounts(other);
    const auditBefore = (await rowCounts(rider)).audit_logs;

    await deleteAccount(user, { password: user.password, recovery_code: rider.recoveryCodes[0] })
      .set('User-Agent', `Leaving/1.0 (${user.email})`)
      .set('X-Request-Id', `delete-${rider.missionName}`)
      .expect(204);

    const after = await rowCounts(rider);
    expect(after).toEqual(
      Object.fromEntries(Object.keys(after).map((table) => [table, table === 'audit_logs' ? auditBefore + 1 : 0])),
    );
    expect(await rowCounts(other)).toEqual(otherBefore);
    expect(await t.db.query(`SELECT id FROM users WHERE id = ${user.id}`)).toEqual([]);
    expect(strava.deauthorized).toContain(rider.athleteId);

    // Every token is dead: access (both sessions), refresh, the pending MFA login, the mailed tokens.
    await meWith(t.http, user.access).expect(401);
    await meWith(t.http, second.body.access_token as string).expect(401);
    await refreshWith(t.http, user.refresh).expect(401);
    await refreshWith(t.http, second.body.refresh_token as string).expect(401);
    await t.http
      .post('/auth/mfa/verify')
      .send({ mfa_token: rider.mfaToken, code: codeFor(rider.totpSecret, 1) })
      .expect(401);
    expect(
      (
        await t.http
          .post('/auth/password/reset')
          .send({ token: rider.resetToken, new_password: 'brand-new-password' })
          .expect(400)
      ).body,
    ).toEqual({ detail: 'Invalid or expired token', code: 'invalid_or_expired_token' });
    await t.http.post('/auth/verify-email').send({ token: rider.emailChangeToken }).expect(400);

    // The audit rows stay under the user's id, without the email or any text the user wrote.
    const rows = await t.db.query<Record<string, unknown>[]>(`SELECT * FROM audit_logs`);
    const dump = JSON.stringify(rows).toLowerCase();
    for (const text of typed) {
      expect([text, dump.includes(text.toLowerCase())]).toEqual([text, false]);
    }
    expect(dump).toContain(other.missionName.toLowerCase());
    expect(dump).toContain(other.user.email.toLowerCase());
    const final = rows.filter((row) => row.action === 'account_deleted');
    expect(final).toHaveLength(1);
    expect(final[0]).toMatchObject({ resource: 'user', resource_id: String(user.id) });
    expect(Number(final[0].user_id)).toBe(user.id);
    expect(Number(final[0].status_code)).toBe(204);
    expect(final[0].user_agent).toBe('Leaving/1.0 ([redacted])');
    expect(final[0].request_id).toBe('delete-[redacted]');
    const kept = rows.filter((row) => Number(row.user_id) === user.id);
    expect(kept.some((row) => row.action === 'mission.create')).toBe(true);
    expect(kept.some((row) => row.resource_id === '[redacted]' && Number(row.status_code) === 404)).toBe(true);
  });

  it('lets the email register again, as a new account with a new id', async () => {
    const again = await t.http.post('/auth/register').send({ email: rider.user.email, password: 'another-password-1' });
    expect(again.status).toBe(201);
    expect(again.body.id).toBeGreaterThan(rider.user.id);
    const login = await t.http
      .post('/auth/login')
      .send({ email: rider.user.email, password: 'another-password-1' })
      .expect(200);
    const auth = { Authorization: `Bearer ${login.body.access_token as string}` };
    expect((await t.http.get('/missions').set(auth).expect(200)).body).toEqual([]);
    const doc = (await t.http.get('/users/me/export').set(auth).expect(200)).body as Record<string, unknown[]>;
    expect(doc.audit_logs.every((row) => (row as { user_id: number }).user_id === again.body.id)).toBe(true);
    expect(doc.activities).toEqual([]);
  });

  it('refuses the last active admin (400, nothing deleted); of two admins deleting at once, one goes', async () => {
    const first = await registerAdmin(t);
    expect((await deleteAccount(first, { password: first.password }).expect(400)).body).toEqual({
      detail: LAST_ADMIN,
      code: 'last_active_admin',
    });
    await meWith(t.http, first.access).expect(200);

    const second = await registerAdmin(t);
    const answers = await Promise.all([
      deleteAccount(first, { password: first.password }),
      deleteAccount(second, { password: second.password }),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([204, 400]);
    const [admins] = await t.db.query<{ n: unknown }[]>(
      `SELECT count(*) AS n FROM users WHERE is_admin = ${isPostgres() ? 'true' : '1'} AND is_active = ${isPostgres() ? 'true' : '1'}`,
    );
    expect(Number(admins.n)).toBe(1);

    // A plain user is never refused for that reason.
    const plain = await registerAndLogin(t.http);
    await deleteAccount(plain, { password: plain.password }).expect(204);
    await meWith(t.http, plain.access).expect(401);
    // The newest account's id is not handed out again (SQLite AUTOINCREMENT, PostgreSQL sequences).
    const next = await t.http.post('/auth/register').send({ email: plain.email, password: plain.password }).expect(201);
    expect(next.body.id).toBeGreaterThan(plain.id);
  });
});
