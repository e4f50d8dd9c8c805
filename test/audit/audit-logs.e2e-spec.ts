import { AUDIT_LOG_FIELDS } from '../helpers/api-fields';
import { LoggedIn, registerAdmin, registerAndLogin } from '../helpers/auth';
import { createTestApp, TestApp } from '../helpers/test-app';
import { AuditLog } from '../../src/audit/audit-log.entity';

const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

interface Row {
  id: number;
  user_id: number | null;
  action: string;
  status_code: number;
  request_id: string | null;
  created_at: string;
}

describe('audit: GET /audit-logs (e2e)', () => {
  let t: TestApp;
  let admin: LoggedIn;
  let rider: LoggedIn;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await registerAdmin(t);
    rider = await registerAndLogin(t.http);
    await t.http.get('/users/me').set(rider.auth).set('X-Request-Id', 'rider-me').expect(200);
    await t.http
      .post('/auth/login')
      .set('X-Request-Id', 'rider-bad-login')
      .send({ email: rider.email, password: 'wrong-one' })
      .expect(401);
    await t.http.get('/users/me').set('X-Request-Id', 'anonymous-me').expect(403);
  });
  afterAll(async () => {
    await t.close();
  });

  const list = (query = '') => t.http.get(`/audit-logs${query}`).set(admin.auth);

  it('pages every row newest first (ties by id), with the contract fields and ISO timestamps', async () => {
    const res = await list().expect(200);
    expect(res.body).toEqual({ items: expect.any(Array), total: expect.any(Number), skip: 0, limit: 100 });
    const items = res.body.items as Row[];
    // The read's own row is written after its query ran.
    expect(res.body.total).toBe((await t.db.getRepository(AuditLog).count()) - 1);
    for (let i = 1; i < items.length; i++) {
      expect(items[i - 1].created_at >= items[i].created_at).toBe(true);
      expect(items[i - 1].id).toBeGreaterThan(items[i].id);
    }
    expect(Object.keys(items[0]).sort()).toEqual(AUDIT_LOG_FIELDS);
    expect(items[0].created_at).toMatch(ISO_MS);

    // Since the first read, its own row has become the newest: skip=1 steps over exactly that one.
    const page = await list('?skip=1&limit=2').expect(200);
    expect(page.body).toMatchObject({ skip: 1, limit: 2, total: res.body.total + 1 });
    expect(page.body.items.map((r: Row) => r.id)).toEqual(items.slice(0, 2).map((r) => r.id));
  });

  it('breaks ties on created_at by id, the later-created row first', async () => {
    const createdAt = new Date('2001-01-01T00:00:00.000Z');
    for (const action of ['tie.first', 'tie.second']) {
      await t.db.getRepository(AuditLog).insert({ action, statusCode: 200, requestId: 'tie', createdAt });
    }
    const res = await list('?request_id=tie').expect(200);
    expect(res.body.items.map((r: Row) => r.action)).toEqual(['tie.second', 'tie.first']);
    expect(res.body.items[0].created_at).toBe('2001-01-01T00:00:00.000Z');
  });

  it('filters by user_id, action, resource, request_id and status_code, all at once too', async () => {
    const byRequest = await list('?request_id=rider-bad-login').expect(200);
    expect(byRequest.body.total).toBe(1);
    expect(byRequest.body.items[0]).toMatchObject({
      action: 'login_failed',
      status_code: 401,
      user_id: null,
      resource: 'user',
      resource_id: String(rider.id),
    });

    const byUser = (await list(`?user_id=${rider.id}`).expect(200)).body.items as Row[];
    expect(byUser.length).toBeGreaterThanOrEqual(3); // register, login, me (the failed login is anonymous)
    expect(byUser.every((r) => r.user_id === rider.id)).toBe(true);

    const byAction = (await list('?action=user.me').expect(200)).body.items as Row[];
    expect(byAction.map((r) => r.request_id)).toEqual(expect.arrayContaining(['rider-me', 'anonymous-me']));
    expect(byAction.every((r) => r.action === 'user.me')).toBe(true);

    const byStatus = (await list('?status_code=403').expect(200)).body.items as Row[];
    expect(byStatus.length).toBeGreaterThan(0);
    expect(byStatus.every((r) => r.status_code === 403)).toBe(true);

    const byResource = (await list('?resource=session').expect(200)).body.items as { resource: string }[];
    expect(byResource.length).toBeGreaterThan(0);
    expect(byResource.every((r) => r.resource === 'session')).toBe(true);

    const combined = await list(`?user_id=${rider.id}&action=user.me&status_code=200`).expect(200);
    expect(combined.body.items.map((r: Row) => r.request_id)).toEqual(['rider-me']);
    expect((await list('?action=no.such.action').expect(200)).body).toEqual({
      items: [],
      total: 0,
      skip: 0,
      limit: 100,
    });
  });

  it('filters by since and until (inclusive; a date-time without an offset is UTC)', async () => {
    const [row] = (await list('?request_id=rider-me').expect(200)).body.items as Row[];
    const at = row.created_at;
    const exact = (await list(`?request_id=rider-me&since=${at}&until=${at}`).expect(200)).body;
    expect(exact.total).toBe(1);
    const later = new Date(Date.parse(at) + 1).toISOString();
    expect((await list(`?request_id=rider-me&since=${later}`).expect(200)).body.total).toBe(0);
    const earlier = new Date(Date.parse(at) - 1).toISOString();
    expect((await list(`?request_id=rider-me&until=${earlier}`).expect(200)).body.total).toBe(0);
    const withOffset = encodeURIComponent(`${at.slice(0, 13)}:00:00+00:00`);
    expect((await list(`?request_id=rider-me&since=${withOffset}`).expect(200)).body.total).toBe(1);
    expect((await list(`?request_id=rider-me&since=${at.slice(0, 19)}`).expect(200)).body.total).toBe(1);
    expect((await list(`?request_id=rider-me&until=2001-01-01`).expect(200)).body.total).toBe(0);
  });

  it('answers 422 for malformed filters and paging, naming the query field', async () => {
    const cases: [string, string][] = [
      ['since=yesterday', 'since'],
      ['until=2025-02-30', 'until'],
      ['since=2025-13-01T00:00:00Z', 'since'],
      ['since=1700000000', 'since'],
      ['user_id=abc', 'user_id'],
      ['user_id=0', 'user_id'],
      ['user_id=99999999999', 'user_id'],
      ['status_code=abc', 'status_code'],
      ['status_code=1000', 'status_code'],
      ['action=%00', 'action'],
      ['request_id=a%20b', 'request_id'],
      ['limit=101', 'limit'],
      ['limit=0', 'limit'],
      ['skip=-1', 'skip'],
    ];
    for (const [query, field] of cases) {
      const res = await list(`?${query}`).expect(422);
      expect(res.body.detail.map((d: { loc: string[] }) => d.loc.join('.'))).toEqual([`query.${field}`]);
    }
    await list('?unknown_filter=1').expect(422);
  });

  it('is for admins only and read-only: no route changes or deletes a row', async () => {
    expect((await t.http.get('/audit-logs').set(rider.auth).expect(403)).body).toEqual({
      code: 'admin_required',
      detail: 'Admin privileges required',
    });
    await t.http.get('/audit-logs').expect(403);
    const [first] = (await list('?limit=1').expect(200)).body.items as Row[];
    await t.http.delete(`/audit-logs/${first.id}`).set(admin.auth).expect(404);
    await t.http.delete('/audit-logs').set(admin.auth).expect(404);
    await t.http.patch(`/audit-logs/${first.id}`).set(admin.auth).send({ action: 'x' }).expect(404);
    await t.http.put(`/audit-logs/${first.id}`).set(admin.auth).send({ action: 'x' }).expect(404);
    await t.http.post('/audit-logs').set(admin.auth).send({ action: 'x' }).expect(404);
    expect((await t.db.getRepository(AuditLog).findOneByOrFail({ id: first.id })).action).toBe(first.action);
  });

  it('audits its own reads, with the admin as the user', async () => {
    await list('?limit=1').set('X-Request-Id', 'audit-read').expect(200);
    const rows = (await list('?request_id=audit-read').expect(200)).body.items as Row[];
    expect(rows).toEqual([expect.objectContaining({ action: 'audit.list', user_id: admin.id, status_code: 200 })]);
  });
});
