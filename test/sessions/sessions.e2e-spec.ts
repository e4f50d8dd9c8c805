import { registerAndLogin } from '../helpers/auth';
import { createTestApp, TestApp } from '../helpers/test-app';
import { TokenPair } from '../helpers/tokens';
import { Session } from '../../src/sessions/session.entity';

const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe('sessions: list and revoke (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const loginAs = async (email: string, password: string, userAgent: string) =>
    (await t.http.post('/auth/login').set('User-Agent', userAgent).send({ email, password }).expect(200))
      .body as TokenPair;
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

  it("lists the caller's sessions newest first, flags the current one, and shows no token material", async () => {
    const user = await registerAndLogin(t.http);
    const phone = await loginAs(user.email, user.password, 'phone-app/1.0');
    const laptop = await loginAs(user.email, user.password, 'laptop-browser/2.0');
    const other = await registerAndLogin(t.http);

    const res = await t.http.get('/sessions').set(bearer(phone.access_token)).expect(200);
    expect(Array.isArray(res.body)).toBe(true);
    expect(res.body).toHaveLength(3);
    expect(res.body.map((s: { user_agent: string }) => s.user_agent)).toEqual([
      'laptop-browser/2.0',
      'phone-app/1.0',
      null,
    ]);
    expect(res.body.map((s: { current: boolean }) => s.current)).toEqual([false, true, false]);
    for (const session of res.body) {
      expect(session).toEqual({
        id: expect.any(Number),
        created_at: expect.stringMatching(ISO_MS),
        expires_at: expect.stringMatching(ISO_MS),
        is_valid: true,
        ip_address: expect.stringMatching(/127\.0\.0\.1|::1/),
        user_agent: session.user_agent === null ? null : expect.any(String),
        current: expect.any(Boolean),
      });
      expect(Date.parse(session.expires_at)).toBeGreaterThan(Date.parse(session.created_at));
    }
    const dump = JSON.stringify(res.body);
    for (const row of await t.db.getRepository(Session).findBy({ userId: user.id })) {
      expect(dump).not.toContain(row.accessTokenJti);
      expect(dump).not.toContain(row.refreshTokenJti);
      expect(dump).not.toContain(row.familyId);
    }
    expect(dump).not.toContain(laptop.refresh_token);
    const others = await t.http.get('/sessions').set(other.auth).expect(200);
    expect(others.body).toHaveLength(1);
    expect(others.body[0].current).toBe(true);
  });

  it('shows a refreshed login once, as its successor, still flagged current', async () => {
    const user = await registerAndLogin(t.http);
    const refreshed = (await t.http.post('/auth/refresh').send({ refresh_token: user.refresh }).expect(200)).body;
    const res = await t.http.get('/sessions').set(bearer(refreshed.access_token)).expect(200);
    expect(res.body).toHaveLength(1);
    expect(res.body[0]).toMatchObject({ current: true, is_valid: true });
  });

  it('shows logged-out sessions as no longer valid', async () => {
    const user = await registerAndLogin(t.http);
    const second = await loginAs(user.email, user.password, 'second');
    await t.http.post('/auth/logout').set(bearer(second.access_token)).expect(204);
    const res = await t.http.get('/sessions').set(user.auth).expect(200);
    expect(res.body.map((s: { is_valid: boolean; current: boolean }) => [s.is_valid, s.current])).toEqual([
      [false, false],
      [true, true],
    ]);
  });

  it('pages with skip and limit, and refuses values out of range (422)', async () => {
    const user = await registerAndLogin(t.http);
    for (let i = 0; i < 3; i++) {
      await loginAs(user.email, user.password, `device-${i}`);
    }
    const all = (await t.http.get('/sessions').set(user.auth).expect(200)).body as { id: number }[];
    expect(all).toHaveLength(4);
    const page = (await t.http.get('/sessions?skip=1&limit=2').set(user.auth).expect(200)).body as { id: number }[];
    expect(page.map((s) => s.id)).toEqual(all.slice(1, 3).map((s) => s.id));
    await t.http.get('/sessions?limit=0').set(user.auth).expect(422);
    await t.http.get('/sessions?limit=101').set(user.auth).expect(422);
    await t.http.get('/sessions?skip=-1').set(user.auth).expect(422);
  });

  it('revokes one of your sessions (204): its access and refresh tokens stop working, the others keep going', async () => {
    const user = await registerAndLogin(t.http);
    const tablet = await loginAs(user.email, user.password, 'tablet');
    const list = (await t.http.get('/sessions').set(user.auth).expect(200)).body as {
      id: number;
      user_agent: string;
    }[];
    const target = list.find((s) => s.user_agent === 'tablet');
    const res = await t.http.delete(`/sessions/${target?.id}`).set(user.auth).expect(204);
    expect(res.text).toBe('');
    await t.http.get('/users/me').set(bearer(tablet.access_token)).expect(401);
    await t.http.post('/auth/refresh').send({ refresh_token: tablet.refresh_token }).expect(401);
    await t.http.get('/users/me').set(user.auth).expect(200);
  });

  it('revoking a session id listed before a refresh also ends the refreshed successor', async () => {
    const user = await registerAndLogin(t.http);
    const watcher = await loginAs(user.email, user.password, 'watcher');
    const listed = (await t.http.get('/sessions').set(bearer(watcher.access_token)).expect(200)).body as {
      id: number;
      current: boolean;
    }[];
    const stale = listed.find((s) => !s.current);
    const refreshed = (await t.http.post('/auth/refresh').send({ refresh_token: user.refresh }).expect(200)).body;
    await t.http.get('/users/me').set(bearer(refreshed.access_token)).expect(200);

    await t.http.delete(`/sessions/${stale?.id}`).set(bearer(watcher.access_token)).expect(204);
    await t.http.get('/users/me').set(bearer(refreshed.access_token)).expect(401);
    await t.http.post('/auth/refresh').send({ refresh_token: refreshed.refresh_token }).expect(401);
    await t.http.get('/users/me').set(bearer(watcher.access_token)).expect(200);
  });

  it("answers 404 for someone else's session, an unknown id or a malformed one, and revokes nothing", async () => {
    const owner = await registerAndLogin(t.http);
    const intruder = await registerAndLogin(t.http);
    const [session] = (await t.http.get('/sessions').set(owner.auth).expect(200)).body as { id: number }[];
    expect((await t.http.delete(`/sessions/${session.id}`).set(intruder.auth).expect(404)).body).toEqual({
      code: 'session_not_found',
      detail: 'Session not found',
    });
    await t.http.delete('/sessions/99999999').set(intruder.auth).expect(404);
    await t.http.delete('/sessions/abc').set(intruder.auth).expect(404);
    await t.http.get('/users/me').set(owner.auth).expect(200);
    await t.http.delete(`/sessions/${session.id}`).expect(403);
  });

  it('lets a caller end their own current session', async () => {
    const user = await registerAndLogin(t.http);
    const [current] = (await t.http.get('/sessions').set(user.auth).expect(200)).body as { id: number }[];
    await t.http.delete(`/sessions/${current.id}`).set(user.auth).expect(204);
    await t.http.get('/sessions').set(user.auth).expect(401);
  });
});
