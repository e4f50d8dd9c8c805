import { Mission } from '../../src/missions/mission.entity';
import { LoggedIn, registerAndLogin } from '../helpers/auth';
import { createTestApp, TestApp } from '../helpers/test-app';
import { auditRowsOf, missionBody } from '../helpers/missions';

/**
 * Text no database column can hold (PostgreSQL refuses NUL in text and jsonb; a lone surrogate has no
 * UTF-8 form) is a 422 at the field that carries it, on both databases, never a 500 and never stored.
 */
describe('text no column can store (e2e)', () => {
  let t: TestApp;
  let user: LoggedIn;

  beforeAll(async () => {
    t = await createTestApp();
    user = await registerAndLogin(t.http);
  });
  afterAll(async () => {
    await t.close();
  });

  it.each([
    ['a NUL in a text field', { name: 'Unbound\u0000200' }, ['body', 'name'], 'string_nul'],
    [
      'a NUL in a JSON value',
      { points_schema: { daily_base: 'x\u0000' } },
      ['body', 'points_schema', 'daily_base'],
      'string_nul',
    ],
    [
      'a NUL in a JSON key',
      { points_schema: { 'daily\u0000base': 1 } },
      ['body', 'points_schema', 'daily\u0000base'],
      'string_nul',
    ],
    ['a lone surrogate', { name: 'Unbound \ud800' }, ['body', 'name'], 'string_unicode'],
  ])('refuses %s with a 422 at that field and stores nothing', async (_case, overrides, loc, type) => {
    const before = await t.db.getRepository(Mission).count();
    const res = await t.http.post('/missions').set(user.auth).send(missionBody(overrides)).expect(422);
    expect(res.body.detail).toContainEqual(expect.objectContaining({ loc, type }));
    expect(await t.db.getRepository(Mission).count()).toBe(before);
  });

  it('answers a NUL in a path id as an unknown mission, and still writes its audit row', async () => {
    const res = await t.http.get('/missions/%00').set(user.auth).set('X-Request-Id', 'nul-path-id').expect(404);
    expect(res.body).toEqual({ detail: 'Mission not found', code: 'mission_not_found' });
    const rows = await auditRowsOf(t.db, 'nul-path-id');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ action: 'mission.get', status_code: 404, resource_id: '\ufffd' });
  });
});
