import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createTestApp, TestApp } from '../helpers/test-app';
import { setUserFlags } from '../helpers/auth';

interface Exchange {
  status: number;
  body: unknown;
}

/** register x2, duplicate, invalid; logins; me; refresh; me (revoked); missions...; sessions; users; audit; delete. */
const EXPECTED_STATUSES = [
  201, 201, 400, 422, 200, 200, 401, 200, 200, 401, 201, 200, 200, 400, 200, 409, 400, 422, 200, 403, 404, 200, 200,
  422, 200, 204, 404,
];

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const JWT = /^[\w-]+\.[\w-]+\.[\w-]+$/;

/**
 * Replaces what legitimately differs between two runs (timestamps, tokens, random UUIDs) with stable
 * placeholders, after checking each has the contract's format; everything else must be identical.
 */
function normalise(value: unknown, uuids: Map<string, string>): unknown {
  if (typeof value === 'string') {
    if (ISO.test(value)) {
      return '<timestamp>';
    }
    if (UUID.test(value)) {
      if (!uuids.has(value)) {
        uuids.set(value, `<uuid-${uuids.size + 1}>`);
      }
      return uuids.get(value);
    }
    return JWT.test(value) && value.length > 100 ? '<jwt>' : value;
  }
  if (Array.isArray(value)) {
    return value.map((v) => normalise(v, uuids));
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalise(v, uuids)]));
  }
  return value;
}

/** The same scripted conversation a client would have, recorded as (status, body) pairs. */
async function script(t: TestApp): Promise<Exchange[]> {
  const out: Exchange[] = [];
  const record = (res: { status: number; body: unknown }): void => {
    out.push({ status: res.status, body: res.body });
  };
  const admin = { email: 'parity-admin@example.com', password: 'admin-password-1' };
  const rider = { email: 'Parity.Rider@Example.com', password: 'rider-password-1' };
  record(await t.http.post('/auth/register').send(admin));
  record(await t.http.post('/auth/register').send(rider));
  record(await t.http.post('/auth/register').send({ ...rider, email: rider.email.toLowerCase() }));
  record(await t.http.post('/auth/register').send({ email: 'nope', password: 'x', is_admin: true }));
  await setUserFlags(t.db, 1, { isAdmin: true });
  const adminLogin = await t.http.post('/auth/login').send(admin);
  const riderLogin = await t.http.post('/auth/login').send(rider);
  record(adminLogin);
  record(riderLogin);
  record(await t.http.post('/auth/login').send({ ...rider, password: 'wrong-password' }));
  const asAdmin = { Authorization: `Bearer ${adminLogin.body.access_token as string}` };
  const asRider = { Authorization: `Bearer ${riderLogin.body.access_token as string}` };
  record(await t.http.get('/users/me').set(asRider));
  record(await t.http.post('/auth/refresh').send({ refresh_token: riderLogin.body.refresh_token as string }));
  record(await t.http.get('/users/me').set(asRider));

  const fresh = await t.http.post('/auth/login').send(rider);
  const rider2 = { Authorization: `Bearer ${fresh.body.access_token as string}` };
  const mission = {
    name: 'Unbound 200 build',
    mission_type: 'gravel_ultra',
    event_start_date: '2030-06-07',
    event_end_date: '2030-06-08',
    prep_start_date: '2030-02-01',
    prep_end_date: '2030-06-01',
    timezone: 'America/Chicago',
    points_schema: {
      description: 'consistency',
      daily_base: 15,
      intensity_multipliers: { easy: 1.1, moderate: 1.8, hard: 2.8 },
      nested: [1, 'two', { three: null }],
    },
    constraints: { min_readiness: 70, min_tsb: -12, max_weekly_hours: 12 },
    notification_preferences: { channel: 'email', morning_briefing: false, evening_summary: true, weekly_review: true },
  };
  const created = await t.http.post('/missions').set(rider2).send(mission);
  record(created);
  const id = created.body.id as string;
  record(await t.http.get(`/missions/${id}`).set(rider2));
  record(
    await t.http
      .put(`/missions/${id}`)
      .set(rider2)
      .send({ name: 'Renamed', constraints: { min_readiness: 80 } }),
  );
  record(await t.http.put(`/missions/${id}`).set(rider2).send({ event_end_date: '2030-06-01' }));
  record(await t.http.post(`/missions/${id}/transition`).set(rider2).send({ target_state: 'TRAINING' }));
  record(await t.http.post(`/missions/${id}/transition`).set(rider2).send({ target_state: 'PREP' }));
  record(await t.http.post(`/missions/${id}/transition`).set(rider2).send({ target_state: 'FLYING' }));
  record(
    await t.http
      .post('/missions')
      .set(rider2)
      .send({ ...mission, timezone: 'Mars/Olympus' }),
  );
  record(await t.http.get('/missions').set(rider2));
  record(await t.http.get(`/missions/${id}`).set(asAdmin));
  record(await t.http.get('/missions/not-a-uuid').set(rider2));
  const sessions = await t.http.get('/sessions').set(rider2);
  record({
    status: sessions.status,
    body: (sessions.body as Record<string, unknown>[]).map(({ ip_address: _ip, ...rest }) => rest),
  });
  record(await t.http.get('/users?limit=10').set(asAdmin));
  record(await t.http.get('/users?limit=101').set(asAdmin));
  const audit = await t.http.get('/audit-logs?limit=100').set(asAdmin);
  const items = (audit.body as { items: Record<string, unknown>[] }).items.map(
    ({ ip_address: _ip, request_id: _rid, user_agent: _ua, ...rest }) => rest,
  );
  record({ status: audit.status, body: { ...(audit.body as object), items } });
  record(await t.http.delete(`/missions/${id}`).set(rider2));
  record(await t.http.get(`/missions/${id}`).set(rider2));
  return out;
}

/** Runs the script on one app, then closes it (one app at a time: passport's strategy registry is per process). */
async function recordOn(env: Record<string, string>, kind: string): Promise<unknown> {
  const t = await createTestApp(env);
  try {
    expect(t.db.options.type).toBe(kind);
    return normalise(await script(t), new Map());
  } finally {
    await t.close();
  }
}

describe('SQLite and PostgreSQL answer the same scripted requests identically (postgres)', () => {
  let dir: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lr-parity-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('returns the same statuses and the same JSON, value for value', async () => {
    const onSqlite = await recordOn({ DATABASE_URL: `sqlite:///${path.join(dir, 'parity.db')}` }, 'better-sqlite3');
    const onPostgres = await recordOn({}, 'postgres');
    expect(onPostgres).toEqual(onSqlite);
    expect((onSqlite as Exchange[]).map((e) => e.status)).toEqual(EXPECTED_STATUSES);
    // The conversation really exercised the data: JSON columns came back as objects, dates as dates.
    const created = (onSqlite as Exchange[]).find(
      (e) => e.status === 201 && (e.body as { state?: string }).state === 'PREP',
    );
    expect(created?.body).toMatchObject({
      event_start_date: '2030-06-07',
      points_schema: { nested: [1, 'two', { three: null }] },
    });
  });
});
