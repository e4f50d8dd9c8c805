import { Logger } from '@nestjs/common';
import { uniqueEmail } from '../helpers/auth';
import { CapturingLogger } from '../helpers/capturing-logger';
import { createTestApp, type TestApp } from '../helpers/test-app';

describe('error log lines (e2e)', () => {
  let t: TestApp;
  const captured = new CapturingLogger();

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    Logger.overrideLogger(false);
    await t.close().catch(() => undefined);
  });

  it('names the path of a failed request without its query string (it can carry OAuth codes)', async () => {
    Logger.overrideLogger(captured);
    await t.db.destroy();
    const res = await t.http
      .post('/auth/register?code=oauth-code-must-not-be-logged')
      .send({ email: uniqueEmail('error-log'), password: 'correct-horse-battery' });
    expect(res.status).toBeGreaterThanOrEqual(500);
    const output = captured.lines.join('\n');
    expect(output).toMatch(/on POST \/auth\/register \[request_id=/);
    expect(output).not.toContain('oauth-code-must-not-be-logged');
  });
});
