import { meWith, refreshWith, registerAndLogin } from '../helpers/auth';
import { auditRowsOf, familyRowsOf } from '../helpers/rows';
import { createTestApp, TestApp } from '../helpers/test-app';
import { TokenPair } from '../helpers/tokens';
import { AuditLog } from '../../src/audit/audit-log.entity';
import { monotonicNow } from '../../src/common/clock';

describe('refresh-token reuse (e2e)', () => {
  describe('within REFRESH_REUSE_GRACE_SECONDS (default 10)', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await createTestApp();
    });
    afterAll(async () => {
      await t.close();
    });

    it('gives a second tab the identical successor pair, and both keep working', async () => {
      const user = await registerAndLogin(t.http);
      const first = (await refreshWith(t.http, user.refresh).expect(200)).body as TokenPair;
      const second = await refreshWith(t.http, user.refresh).expect(200);
      expect(second.body).toEqual(first);
      expect(second.headers['cache-control']).toBe('no-store');
      await meWith(t.http, first.access_token).expect(200);
      await meWith(t.http, user.access).expect(401);
      expect((await familyRowsOf(t.db, user.refresh)).map((r) => r.isValid)).toEqual([false, true]);
      await refreshWith(t.http, first.refresh_token).expect(200);
      expect(await t.db.getRepository(AuditLog).countBy({ action: 'refresh_reuse_detected', userId: user.id })).toBe(0);
    });

    it('does not hand a revoked successor to a second tab: that is a reuse, and the family is revoked', async () => {
      const user = await registerAndLogin(t.http);
      const first = (await refreshWith(t.http, user.refresh).expect(200)).body as TokenPair;
      await t.http.post('/auth/logout').set('Authorization', `Bearer ${first.access_token}`).expect(204);
      await refreshWith(t.http, user.refresh).expect(401);
      expect(await t.db.getRepository(AuditLog).countBy({ action: 'refresh_reuse_detected', userId: user.id })).toBe(1);
    });
  });

  describe('after the grace window (REFRESH_REUSE_GRACE_SECONDS=0)', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await createTestApp({ REFRESH_REUSE_GRACE_SECONDS: '0' });
    });
    afterAll(async () => {
      await t.close();
    });

    it('treats a spent refresh token as stolen: the whole family is revoked and an audit row says so', async () => {
      const user = await registerAndLogin(t.http);
      const other = (await t.http.post('/auth/login').send({ email: user.email, password: user.password }).expect(200))
        .body as TokenPair;
      const first = (await refreshWith(t.http, user.refresh).expect(200)).body as TokenPair;
      const second = (await refreshWith(t.http, first.refresh_token).expect(200)).body as TokenPair;
      await meWith(t.http, second.access_token).expect(200);

      const reuse = await refreshWith(t.http, user.refresh).set('X-Request-Id', `reuse-${user.id}`).expect(401);
      expect(reuse.body).toEqual({ detail: 'Invalid refresh token', code: 'invalid_refresh_token' });
      expect(reuse.headers['www-authenticate']).toBe('Bearer');
      await meWith(t.http, second.access_token).expect(401);
      await refreshWith(t.http, second.refresh_token).expect(401);
      const family = await familyRowsOf(t.db, user.refresh);
      expect(family).toHaveLength(3);
      expect(family.some((r) => r.isValid)).toBe(false);

      const rows = await auditRowsOf(t.db, `reuse-${user.id}`);
      expect(rows).toEqual([
        expect.objectContaining({
          action: 'refresh_reuse_detected',
          userId: user.id,
          resource: 'session',
          statusCode: 401,
        }),
        expect.objectContaining({ action: 'refresh', userId: user.id, statusCode: 401 }),
      ]);
      expect(rows[0].details).toMatch(/1 session\(s\) of its family revoked/);
      expect(JSON.stringify(rows)).not.toContain(user.refresh);
      // Another login of the same user is another family: untouched.
      await meWith(t.http, other.access_token).expect(200);
    });

    it('revokes on the very next reuse, even while row timestamps run ahead of the wall clock', async () => {
      // A burst of rows (more than one per millisecond) pushes monotonicNow() ahead of Date.now(); a
      // rotation stamped "in the future" must not read as "within a grace of 0 seconds".
      for (let i = 0; i < 2000; i++) {
        monotonicNow();
      }
      const user = await registerAndLogin(t.http);
      const first = (await refreshWith(t.http, user.refresh).expect(200)).body as TokenPair;
      await refreshWith(t.http, user.refresh).expect(401);
      await meWith(t.http, first.access_token).expect(401);
    });
  });
});
