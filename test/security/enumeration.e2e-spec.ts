import { registerAndLogin, uniqueEmail } from '../helpers/auth';
import { median, timed } from '../helpers/stats';
import { createTestApp, TestApp } from '../helpers/test-app';

/**
 * Unknown email and wrong password must look the same: same status and body, and no timing
 * difference. bcrypt at cost 8 makes the password check dominate the request (about 10-20 ms here,
 * against 1-2 ms for the rest), so answering an unknown email without a check would show as a
 * ratio near 0.1; the margin below (0.5-2) is generous on purpose and is about medians, not single samples.
 */
const SAMPLES = 15;

describe('account enumeration through login (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ BCRYPT_ROUNDS: '8' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers an unknown email exactly like a wrong password', async () => {
    const user = await registerAndLogin(t.http);
    const wrong = await t.http.post('/auth/login').send({ email: user.email, password: 'wrong-password' }).expect(401);
    const unknown = await t.http
      .post('/auth/login')
      .send({ email: uniqueEmail('nobody'), password: 'wrong-password' })
      .expect(401);
    expect(unknown.body).toEqual(wrong.body);
    expect(unknown.body).toEqual({ detail: 'Incorrect email or password', code: 'invalid_credentials' });
    const headersOf = (h: Record<string, string>) =>
      Object.keys(h)
        .filter((k) => !['date', 'x-request-id', 'etag', 'content-length'].includes(k))
        .sort();
    expect(headersOf(unknown.headers)).toEqual(headersOf(wrong.headers));
    expect(unknown.headers['content-length']).toBe(wrong.headers['content-length']);
  });

  it('takes as long for an unknown email as for a wrong password (medians of many samples)', async () => {
    const user = await registerAndLogin(t.http);
    const wrongPassword = () =>
      t.http.post('/auth/login').send({ email: user.email, password: 'wrong-password' }).expect(401);
    const unknownEmail = () =>
      t.http
        .post('/auth/login')
        .send({ email: uniqueEmail('nobody'), password: 'wrong-password' })
        .expect(401);
    for (let i = 0; i < 3; i++) {
      await wrongPassword();
      await unknownEmail();
    }
    const known: number[] = [];
    const unknown: number[] = [];
    // Interleaved, so a slow moment of the machine hits both series alike.
    for (let i = 0; i < SAMPLES; i++) {
      known.push(await timed(wrongPassword));
      unknown.push(await timed(unknownEmail));
    }
    const ratio = median(unknown) / median(known);
    // The check dominates: a real bcrypt verify at cost 8 is several milliseconds.
    expect(median(known)).toBeGreaterThan(3);
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
    process.stdout.write(
      `login timing at BCRYPT_ROUNDS=8: wrong password median ${median(known).toFixed(1)} ms, unknown email median ${median(unknown).toFixed(1)} ms, ratio ${ratio.toFixed(2)}\n`,
    );
  });
});
