import { createTestApp, TestApp } from '../helpers/test-app';
import { uniqueEmail } from '../helpers/auth';

/** Requests fired at once must keep the invariants (on SQLite and, in the PostgreSQL pass, on PostgreSQL). */
describe('concurrent requests (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('registers one account when the same email arrives 20 times at once: one 201, nineteen 400', async () => {
    const email = uniqueEmail('race');
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.http.post('/auth/register').send({ email: i % 2 ? email : email.toUpperCase(), password: 'password123' }),
      ),
    );
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([201, ...Array<number>(19).fill(400)].sort());
    for (const res of responses.filter((r) => r.status === 400)) {
      expect(res.body).toEqual({ detail: 'Email already registered', code: 'email_taken' });
    }
    const rows: { n: number | string }[] = await t.db.query(`SELECT COUNT(*) AS n FROM users WHERE email = '${email}'`);
    expect(Number(rows[0].n)).toBe(1);
    const audit: { status_code: number }[] = await t.db.query(
      "SELECT status_code FROM audit_logs WHERE action = 'register'",
    );
    expect(audit.filter((r) => r.status_code === 201)).toHaveLength(1);
  });
});
