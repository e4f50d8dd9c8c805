import express from 'express';
import helmet, { type HelmetOptions } from 'helmet';
import request from 'supertest';
import { securityHeaders } from './security-headers';

/** The headers of GET / on a small Express app behind `middleware`, without the ones that vary. */
async function headersBehind(middleware: express.RequestHandler): Promise<string[]> {
  const app = express();
  app.use(middleware);
  app.get('/', (_req, res) => {
    res.json({ ok: true });
  });
  const res = await request(app).get('/').expect(200);
  return res.headers
    ? Object.entries(res.headers as Record<string, string>)
        .filter(([name]) => name !== 'date')
        .map(([name, value]) => `${name}: ${value}`)
    : [];
}

describe('securityHeaders', () => {
  const options: HelmetOptions[] = [
    {},
    {
      contentSecurityPolicy: {
        directives: { 'script-src': ["'self'"], 'img-src': ["'self'", 'data:'], 'upgrade-insecure-requests': null },
      },
    },
    { hsts: false, frameguard: { action: 'deny' } },
  ];

  it.each(options.map((o) => [JSON.stringify(o), o]))(
    'sets exactly the headers helmet sets, in its order (%s)',
    async (_name, o) => {
      const theirs = await headersBehind(helmet(o));
      expect(theirs.length).toBeGreaterThan(5);
      expect(await headersBehind(securityHeaders(o))).toEqual(theirs);
    },
  );

  it('refuses options with a per-request value (a CSP nonce function)', () => {
    expect(() =>
      securityHeaders({
        contentSecurityPolicy: { directives: { 'script-src': [(_req, res) => `'nonce-${res.statusCode}'`] } },
      }),
    ).toThrow();
  });
});
