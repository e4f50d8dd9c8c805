import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startExpectingFailure, startServer } from '../helpers/server-process';
import { createTestDatabase, TEST_DATABASE_URL } from '../helpers/test-database';

describe('the server process (e2e)', () => {
  let dir: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lr-server-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('creates its database folder, migrates, and keeps users and sessions across a restart', async () => {
    // SQLite in a folder that does not exist yet, or this suite's PostgreSQL schema in the PostgreSQL pass.
    const database = TEST_DATABASE_URL ? await createTestDatabase(dir) : null;
    const url = database?.url ?? `sqlite:///${path.join(dir, 'nested', 'folder', 'app.db')}`;
    const env = { DATABASE_URL: url, BCRYPT_ROUNDS: '4', RATE_LIMIT_ENABLED: 'false' };
    const first = await startServer(env);
    const json = { 'Content-Type': 'application/json' };
    await fetch(`${first.url}/auth/register`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ email: 'keep@example.com', password: 'password123' }),
    });
    const login = await fetch(`${first.url}/auth/login`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ email: 'keep@example.com', password: 'password123' }),
    });
    const tokens = (await login.json()) as { access_token: string; refresh_token: string };
    expect(login.status).toBe(200);
    const ended = await first.stop();
    expect(ended.code === 0 || ended.signal === 'SIGTERM').toBe(true);

    const second = await startServer(env, { port: first.port });
    try {
      const me = await fetch(`${second.url}/users/me`, { headers: { Authorization: `Bearer ${tokens.access_token}` } });
      expect(me.status).toBe(200);
      const refresh = await fetch(`${second.url}/auth/refresh`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ refresh_token: tokens.refresh_token }),
      });
      expect(refresh.status).toBe(200);
    } finally {
      await second.stop();
      await database?.drop();
    }
  });

  it('refuses to start on a bad variable, naming it', async () => {
    const res = await startExpectingFailure({ PORT: 'eighty', DATABASE_URL: `sqlite:///${path.join(dir, 'x.db')}` });
    expect(res.code).toBe(1);
    expect(res.output).toContain('PORT');
  });

  it('refuses the development SECRET_KEY in production', async () => {
    const res = await startExpectingFailure({
      NODE_ENV: 'production',
      SECRET_KEY: '',
      DATABASE_URL: `sqlite:///${path.join(dir, 'y.db')}`,
    });
    expect(res.code).toBe(1);
    expect(res.output).toContain('SECRET_KEY');
  });
});
