import { registerAndLogin, uniqueEmail } from '../helpers/auth';
import { auditRowsOf } from '../helpers/rows';
import { createTestApp, TestApp } from '../helpers/test-app';

/** The value of one sample line, e.g. `auth_login_failures_total 0`; undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('metrics: GET /metrics (e2e)', () => {
  describe('enabled, no token', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await createTestApp();
    });
    afterAll(async () => {
      await t.close();
    });

    it('lists every contract metric from start-up, the counters at 0, in Prometheus text format', async () => {
      const res = await t.http.get('/metrics').expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      for (const name of [
        'http_requests_total',
        'http_request_duration_seconds',
        'auth_login_failures_total',
        'rate_limited_requests_total',
        'llm_requests_total',
        'llm_tokens_total',
      ]) {
        expect(res.text).toContain(`# HELP ${name} `);
        expect(res.text).toMatch(new RegExp(`^# TYPE ${name} (counter|histogram)$`, 'm'));
      }
      expect(sample(res.text, 'auth_login_failures_total')).toBe(0);
      expect(sample(res.text, 'rate_limited_requests_total')).toBe(0);
      for (const outcome of [
        'success',
        'invalid_json',
        'invalid_draft',
        'upstream_error',
        'timeout',
        'not_configured',
      ]) {
        expect(sample(res.text, `llm_requests_total{outcome="${outcome}"}`)).toBe(0);
      }
      expect(sample(res.text, 'llm_tokens_total{kind="prompt"}')).toBe(0);
      expect(sample(res.text, 'llm_tokens_total{kind="completion"}')).toBe(0);
      expect(res.text).toContain('process_cpu_user_seconds_total');
      expect(res.text).toContain('nodejs_eventloop_lag_seconds');
    });

    it('counts requests by method, route pattern and status, and failed logins', async () => {
      const user = await registerAndLogin(t.http);
      await t.http.get('/users/me').set(user.auth).expect(200);
      await t.http.get('/users/me').expect(403);
      await t.http.post('/auth/login').send({ email: user.email, password: 'wrong-password' }).expect(401);
      await t.http.post('/auth/login').send({ email: uniqueEmail(), password: 'wrong-password' }).expect(401);
      await t.http.get(`/users/${user.id}`).set(user.auth).expect(403);
      const text = (await t.http.get('/metrics').expect(200)).text;
      expect(sample(text, 'auth_login_failures_total')).toBe(2);
      expect(sample(text, 'http_requests_total{method="GET",route="/users/me",status_code="200"}')).toBe(1);
      expect(sample(text, 'http_requests_total{method="GET",route="/users/me",status_code="403"}')).toBe(1);
      expect(sample(text, 'http_requests_total{method="POST",route="/auth/login",status_code="401"}')).toBe(2);
      expect(sample(text, 'http_requests_total{method="GET",route="/users/:id",status_code="403"}')).toBe(1);
      expect(
        sample(text, 'http_request_duration_seconds_count{method="GET",route="/users/me",status_code="200"}'),
      ).toBe(1);
    });

    it('writes no audit row for a scrape', async () => {
      await t.http.get('/metrics').set('X-Request-Id', 'scrape-1').expect(200);
      expect(await auditRowsOf(t.db, 'scrape-1')).toHaveLength(0);
    });
  });

  it('is off (404) with METRICS_ENABLED=false', async () => {
    const t = await createTestApp({ METRICS_ENABLED: 'false' });
    try {
      const res = await t.http.get('/metrics').expect(404);
      expect(res.body).toEqual({ detail: 'Not found', code: 'not_found' });
    } finally {
      await t.close();
    }
  });

  it('wants the bearer token when METRICS_TOKEN is set: 403 without, 401 wrong, 200 right', async () => {
    const t = await createTestApp({ METRICS_TOKEN: 'scrape-secret-token' });
    try {
      expect((await t.http.get('/metrics').expect(403)).body).toEqual({
        detail: 'Not authenticated',
        code: 'not_authenticated',
      });
      const wrong = await t.http.get('/metrics').set('Authorization', 'Bearer not-the-token').expect(401);
      expect(wrong.headers['www-authenticate']).toBe('Bearer');
      await t.http.get('/metrics').set('Authorization', 'Bearer scrape-secret-token-and-more').expect(401);
      const ok = await t.http.get('/metrics').set('Authorization', 'Bearer scrape-secret-token').expect(200);
      expect(ok.text).toContain('auth_login_failures_total');
    } finally {
      await t.close();
    }
  });
});
