import { meWith, refreshWith, registerAndLogin } from '../helpers/auth';
import { familyRowsOf } from '../helpers/rows';
import { createTestApp, TestApp } from '../helpers/test-app';
import { TokenPair } from '../helpers/tokens';

/**
 * Two refreshes of one token at once. The race is real only where the driver does asynchronous I/O
 * (PostgreSQL): better-sqlite3 is synchronous, so on SQLite one refresh runs to its end before the
 * other starts and these tests hold whatever the rotation does. With TEST_DATABASE_URL (CI's
 * PostgreSQL pass, whose filter matches this file's name) they fail when the rotation is not one
 * conditional UPDATE.
 */
describe('refresh rotation under concurrent requests (e2e)', () => {
  describe('with the grace window', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await createTestApp();
    });
    afterAll(async () => {
      await t.close();
    });

    it('rotates one token refreshed by two requests at once into a single successor', async () => {
      for (let round = 0; round < 5; round++) {
        const user = await registerAndLogin(t.http);
        const answers = await Promise.all([refreshWith(t.http, user.refresh), refreshWith(t.http, user.refresh)]);
        expect(answers.map((r) => r.status)).toEqual([200, 200]);
        // Never two different live successors: both tabs hold the same pair.
        expect(answers[1].body).toEqual(answers[0].body);
        const family = await familyRowsOf(t.db, user.refresh);
        expect(family).toHaveLength(2);
        expect(family.filter((r) => r.isValid)).toHaveLength(1);
        await meWith(t.http, (answers[0].body as TokenPair).access_token).expect(200);
      }
    });

    it('still gives a single successor when five requests race on one token', async () => {
      const user = await registerAndLogin(t.http);
      const answers = await Promise.all(Array.from({ length: 5 }, () => refreshWith(t.http, user.refresh)));
      const ok = answers.filter((r) => r.status === 200).map((r) => (r.body as TokenPair).refresh_token);
      expect(ok.length).toBeGreaterThan(0);
      expect(new Set(ok).size).toBe(1);
      expect(await familyRowsOf(t.db, user.refresh)).toHaveLength(2);
    });
  });

  describe('without a grace window (REFRESH_REUSE_GRACE_SECONDS=0)', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await createTestApp({ REFRESH_REUSE_GRACE_SECONDS: '0' });
    });
    afterAll(async () => {
      await t.close();
    });

    it('answers one working pair and one 401 at most, never two live successors', async () => {
      for (let round = 0; round < 3; round++) {
        const user = await registerAndLogin(t.http);
        const answers = await Promise.all([1, 2].map(() => refreshWith(t.http, user.refresh)));
        expect(answers.every((r) => r.status === 200 || r.status === 401)).toBe(true);
        const family = await familyRowsOf(t.db, user.refresh);
        expect(family.length).toBeLessThanOrEqual(2);
        expect(family.filter((r) => r.isValid).length).toBeLessThanOrEqual(1);
        let working = 0;
        for (const answer of answers.filter((r) => r.status === 200)) {
          const res = await meWith(t.http, (answer.body as TokenPair).access_token);
          working += res.status === 200 ? 1 : 0;
        }
        expect(working).toBeLessThanOrEqual(1);
      }
    });
  });
});
