import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT, startServer, type ServerProcess } from '../helpers/server-process';

const run = promisify(execFile);
const CLIENT = path.join(PROJECT_ROOT, 'clients/typescript');

/**
 * The typed client (clients/typescript) against a live server: its example compiles with tsc --strict
 * and runs register, login, refresh, /users/me, create and list missions. (.ci/run installs the client's
 * dependencies, regenerates it from the served document and fails on drift before this runs.)
 */
describe('the typed TypeScript client against a live server (deploy)', () => {
  let dir: string;
  let server: ServerProcess;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lr-client-'));
    server = await startServer(
      { DATABASE_URL: `sqlite:///${path.join(dir, 'client.db')}`, BCRYPT_ROUNDS: '4' },
      { timeoutMs: 120_000 },
    );
  });
  afterAll(async () => {
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('runs the example: every step answers as the types say', async () => {
    expect(fs.existsSync(path.join(CLIENT, 'node_modules/openapi-fetch'))).toBe(true);
    const { stdout } = await run('npm', ['run', 'example', '--silent', '--', server.url], { cwd: CLIENT });
    const lines = stdout.trim().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(/^registered {3}user \d+ <example-\d+@example\.com>$/),
      'logged in    token type bearer',
      'refreshed    new access token: true',
      expect.stringMatching(/^me {11}example-\d+@example\.com, admin: false, active: true$/),
      expect.stringMatching(/^created {6}mission Paris-Brest-Paris \(PREP\), \d{4}-\d{2}-\d{2}$/),
      'listed       1 mission(s): Paris-Brest-Paris',
      expect.stringMatching(/^unknown id {3}404 \{"detail":"Mission not found"/),
    ]);
    console.log(`client example against ${server.url}:\n${stdout}`);
  });
});
