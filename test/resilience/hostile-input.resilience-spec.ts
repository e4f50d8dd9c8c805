import { hash } from '@node-rs/bcrypt';
import { JWT_AUDIENCE, JWT_ISSUER } from '../../src/sessions/token.service';
import { missionBody } from '../helpers/missions';
import { manualActivity } from '../helpers/training';
import { uniqueEmail } from '../helpers/auth';
import {
  call,
  errorShapeProblem,
  registerAndLogin,
  validQuestionnaire,
  type Account,
  type Reply,
} from './support/http';
import {
  BAD_PATH_IDS,
  badAuthorizations,
  type BodyCase,
  bodyCases,
  brokenActivityFiles,
  fileUpload,
  fuzzedActivityFiles,
  type OpenApi,
  type Operation,
  multipartCases,
  operationsOf,
  queryCases,
  validObject,
} from './support/hostile';
import { type DirectDb, postgresDirectDb, sqliteDirectDb } from './support/direct-db';
import { scratchDatabaseOrSkip } from './support/postgres';
import { type App, recordUnhandled, startSuiteServer, type SuiteServer } from './support/server';
import { Tally } from './support/tally';

/** Routes whose 502 is the LLM upstream's answer, not the server's failure. */
const LLM_ROUTES = new Set(['/missions/draft']);

const SERVER_ENV = {
  OPENAI_API_KEY: 'sk-hostile-0123456789',
  OPENAI_TIMEOUT_MS: '2000',
  // /metrics is documented as bearer-protected: with a token set, every bad token must be refused there too.
  METRICS_TOKEN: 'metrics-token-for-the-hostile-suite',
  // Strava configured (its base URL a closed loopback port: no generated request ever gets a valid state).
  STRAVA_BASE_URL: 'http://127.0.0.1:9',
  STRAVA_CLIENT_ID: '4242',
  STRAVA_CLIENT_SECRET: 'hostile-suite-client-secret',
  STRAVA_REDIRECT_URI: 'http://127.0.0.1:8000/connections/strava/callback',
  STRAVA_WEBHOOK_VERIFY_TOKEN: 'hostile-suite-verify-token',
};

/** A database to run the suite on: `start` starts the suite's server on a fresh one, or notes why it cannot. */
interface Target {
  database: 'SQLite' | 'PostgreSQL';
  start: (tally: Tally, category: string) => Promise<{ suite: SuiteServer; db: DirectDb } | undefined>;
}

const TARGETS: Target[] = [
  {
    database: 'SQLite',
    start: async () => {
      const suite = await startSuiteServer('hostile', SERVER_ENV);
      return { suite, db: sqliteDirectDb(suite.dbFile) };
    },
  },
  {
    // PostgreSQL refuses what SQLite stores (NUL characters in text, say): the same requests, on a fresh database.
    database: 'PostgreSQL',
    start: async (tally, category) => {
      const scratch = await scratchDatabaseOrSkip(tally, category);
      if (!scratch) {
        return undefined;
      }
      const suite = await startSuiteServer('hostile-pg', SERVER_ENV, scratch);
      return { suite, db: postgresDirectDb(scratch.url) };
    },
  },
];

/**
 * Hostile input: for every operation in the served /openapi.json, bad tokens, bad path ids, bad query
 * strings and bad bodies. Zero 5xx, and every error in the contract's shape, on each database.
 */
describe.each(TARGETS)('hostile input from the OpenAPI document on $database (resilience)', ({ database, start }) => {
  const tally = new Tally('hostile-input');
  /** A tally category that names the database: "bad bodies on PostgreSQL". */
  const on = (category: string): string => `${category} on ${database}`;
  let suite: SuiteServer | undefined;
  let app: App;
  let doc: OpenApi;
  let db: DirectDb;
  let admin: Account;
  let victim: Account;
  let adminHash: string;

  beforeAll(async () => {
    const started = await start(tally, on('the run'));
    if (!started) {
      return;
    }
    ({ suite, db } = started);
    app = suite.app;
    admin = await registerAndLogin(app.url, 'hostile-admin');
    adminHash = await hash(admin.password, 4);
    await db.makeAdmin(admin.id);
    victim = await registerAndLogin(app.url, 'hostile-victim');
    doc = (await call(app.url, '/openapi.json')).json as OpenApi;
  });

  afterAll(async () => {
    tally.print();
    // The direct connection first: dropping the PostgreSQL database would cut it.
    await db?.close();
    await suite?.close();
  });

  /** A fresh admin session, mission, draft and spare session for one operation (earlier ones may revoke or delete theirs). */
  async function context(): Promise<{ token: string; refresh: string; ids: Record<string, string> }> {
    // A generated body may have been a valid password change: put the admin's account back as it was.
    await db.restoreAdmin(admin.id, adminHash);
    const login = await call(app.url, '/auth/login', { body: { email: admin.email, password: admin.password } });
    const spare = await call(app.url, '/auth/login', { body: { email: admin.email, password: admin.password } });
    const token = login.json.access_token as string;
    const mission = await call(app.url, '/missions', { body: missionBody(), token });
    const draft = await call(app.url, '/missions/draft', { body: validQuestionnaire(), token });
    const sessions = await call(app.url, '/sessions', { token });
    const activity = await call(app.url, '/activities', { body: manualActivity(), token });
    const spareJti = JSON.parse(Buffer.from((spare.json.refresh_token as string).split('.')[1], 'base64url').toString())
      .jti as string;
    const spareId = await db.sessionIdOf(spareJti);
    return {
      token,
      refresh: login.json.refresh_token as string,
      ids: {
        '/users/{id}': String(victim.id),
        '/sessions/{id}': String(spareId ?? (sessions.json as Array<{ id: number }>)[0]?.id ?? 1),
        '/missions/{id}': String(mission.json?.id ?? 'none'),
        '/missions/{id}/transition': String(mission.json?.id ?? 'none'),
        '/missions/draft/{draft_id}/confirm': String(draft.json?.draft_id ?? 'none'),
        '/missions/{id}/progress': String(mission.json?.id ?? 'none'),
        '/activities/{id}': String(activity.json?.id ?? 'none'),
        '/activities/{id}/streams': String(activity.json?.id ?? 'none'),
        '/wellness/{date}': '2025-01-01',
      },
    };
  }

  function validBodyFor(op: Operation, ctx: { refresh: string }): Record<string, unknown> {
    const base = op.body ? validObject(doc, op.body) : {};
    switch (op.bodyName) {
      case 'RegisterDto':
        return { email: uniqueEmail('hostile'), password: 'correct-horse-battery' };
      case 'LoginDto':
        return { email: admin.email, password: admin.password };
      case 'RefreshDto':
        return { refresh_token: ctx.refresh };
      case 'ChangePasswordDto':
        return { current_password: admin.password, new_password: admin.password };
      case 'CreateMissionDraftDto':
        return validQuestionnaire();
      case 'DeleteAccountDto':
        // Never the admin's password: a body that gets through is a 400, and the suite's admin stays.
        return { password: 'not-the-admin-password' };
      default:
        return base;
    }
  }

  function judge(category: string, label: string, op: Operation, reply: Reply): void {
    tally.tried(category);
    const what = `${op.method} ${op.path} [${label}]`;
    if (reply.status >= 500 && !(reply.status === 502 && LLM_ROUTES.has(op.path))) {
      tally.misbehaved(category, `${what}: ${reply.status} ${reply.text.slice(0, 120)}`);
      return;
    }
    const shape = errorShapeProblem(reply);
    if (shape) {
      tally.misbehaved(category, `${what}: ${shape}`);
    }
    if (reply.status === 401 && !/Bearer/.test(reply.headers.get('www-authenticate') ?? '')) {
      tally.misbehaved(category, `${what}: 401 without WWW-Authenticate: Bearer`);
    }
    if (reply.text.includes('polluted')) {
      tally.misbehaved(category, `${what}: the answer echoes a polluted prototype`);
    }
  }

  const send = (
    op: Operation,
    p: string,
    token: string | undefined,
    c?: BodyCase,
    headers: Record<string, string> = {},
  ): Promise<Reply> =>
    call(app.url, p, {
      method: op.method,
      token,
      body: c?.json,
      raw: c?.raw,
      headers: {
        ...headers,
        ...(c?.raw !== undefined ? { 'content-type': c.contentType ?? 'application/json' } : {}),
        ...(c?.headers ?? {}),
      },
      timeoutMs: 30_000,
    });

  it('refuses every generated bad request without a 5xx, each error with a detail', async () => {
    if (!suite) {
      return; // no PostgreSQL here: the tally says so
    }
    const ops = operationsOf(doc).filter((op) => !['/', '/healthz', '/readyz'].includes(op.path));
    expect(ops.length).toBeGreaterThan(15);
    // DELETE with a JSON body (the account's deletion) is walked like any other body.
    expect(ops.some((op) => op.method === 'DELETE' && op.bodyName === 'DeleteAccountDto')).toBe(true);
    tally.tried(on('operations'), ops.length);
    // Operations that end the caller's session or delete things go last, the account's deletion (DELETE with a body) last of all.
    const weight = (op: Operation): number =>
      op.path === '/users/me' && op.method === 'DELETE' ? 2 : /logout|DELETE/.test(`${op.path} ${op.method}`) ? 1 : 0;
    ops.sort((a, b) => weight(a) - weight(b));

    for (const op of ops) {
      const ctx = await context();
      const fill = (ids: Record<string, string>): string => op.path.replace(/\{[^}]+\}/g, () => ids[op.path] ?? '1');
      const target = fill(ctx.ids);

      if (op.secured) {
        for (const [label, authorization] of badAuthorizations(
          suite.env.SECRET_KEY,
          { access: ctx.token, refresh: ctx.refresh, sub: String(admin.id) },
          JWT_ISSUER,
          JWT_AUDIENCE,
        )) {
          const reply = await send(
            op,
            target,
            undefined,
            op.body ? { label, json: validBodyFor(op, ctx) } : undefined,
            authorization ? { authorization } : {},
          );
          judge(on('bad tokens'), label, op, reply);
          if (reply.status < 400) {
            tally.misbehaved(on('bad tokens'), `${op.method} ${op.path} [${label}]: accepted with ${reply.status}`);
          }
        }
      }

      if (op.path.includes('{')) {
        for (const id of BAD_PATH_IDS) {
          const p = op.path.replace(/\{[^}]+\}/g, id);
          judge(
            on('bad path ids'),
            id.slice(0, 24),
            op,
            await send(op, p, ctx.token, op.body ? { label: id, json: validBodyFor(op, ctx) } : undefined),
          );
        }
      }

      for (const [label, query] of queryCases(op.params)) {
        judge(on('bad query strings'), label, op, await send(op, `${target}?${query}`, ctx.token));
      }

      if (op.method !== 'GET') {
        let token = ctx.token;
        const cases = op.multipart
          ? [...multipartCases(), ...bodyCases({}, undefined)]
          : bodyCases(validBodyFor(op, ctx), op.body);
        for (const c of cases) {
          const reply = await send(op, target, token, c);
          judge(on('bad bodies'), c.label, op, reply);
          if (reply.status === 401 && op.secured) {
            // An earlier case ended this session (logout): carry on with a new one.
            token = (await context()).token;
          }
        }
      }
    }

    // No prototype was polluted, and nobody became an admin through a body.
    const fresh = await registerAndLogin(app.url, 'after-hostile');
    const me = await call(app.url, '/users/me', { token: fresh.access });
    tally.tried(on('after the run'));
    if (me.status !== 200 || me.json.is_admin !== false || 'polluted' in (me.json as object)) {
      tally.misbehaved(on('after the run'), `a new user looks wrong: ${me.status} ${me.text.slice(0, 160)}`);
    }
    // The victim may legitimately be promoted through PATCH /users/{id}; nobody else may become an admin.
    const admins = await db.countAdminsExcept([admin.id, victim.id]);
    if (admins !== 0) {
      tally.misbehaved(on('after the run'), `${admins} user(s) became admins`);
    }
    if ((await call(app.url, '/healthz')).status !== 200 || app.exited()) {
      tally.misbehaved(on('after the run'), 'the server is not healthy');
    }
    recordUnhandled(tally, on('server log'), app);
    expect(tally.problems()).toEqual([]);
    // About 3,000 requests per database for 29 operations: more than the default 3 minutes on a loaded machine.
  }, 420_000);

  it('answers every broken activity file with a 4xx that says what is wrong, stores nothing, stays healthy', async () => {
    if (!suite) {
      return;
    }
    const uploader = await registerAndLogin(app.url, 'hostile-uploader');
    await call(app.url, '/athlete', { method: 'PUT', token: uploader.access, body: { ftp: 250, threshold_hr: 160 } });
    const category = on('hostile uploads');
    const rows = async (): Promise<string> =>
      `${await db.countRows('activities')} activities, ${await db.countRows('activity_streams')} streams`;
    const upload = (content: Buffer): Promise<Reply> =>
      call(app.url, '/activities/upload', {
        method: 'POST',
        token: uploader.access,
        ...fileUpload(content),
        timeoutMs: 30_000,
      });
    const detailOf = (reply: Reply): string =>
      Array.isArray(reply.json?.detail)
        ? (reply.json.detail as Array<{ msg: string }>).map((i) => i.msg).join('; ')
        : String(reply.json?.detail);

    for (const broken of brokenActivityFiles()) {
      tally.tried(category);
      const before = await rows();
      const reply = await upload(broken.content);
      const what = `${broken.label}: ${reply.status} ${reply.text.slice(0, 160)}`;
      const shape = errorShapeProblem(reply);
      if (reply.status !== broken.status || shape || !broken.msg.test(detailOf(reply))) {
        tally.misbehaved(category, `${what}${shape ? ` (${shape})` : ''}; wanted ${broken.status} ${broken.msg}`);
      }
      const after = await rows();
      if (after !== before) {
        tally.misbehaved(category, `${broken.label} left rows behind: ${before} before, ${after} after`);
      }
    }
    // Damaged FITs with valid CRCs may be read (201) or refused (4xx); never a 5xx, never a half-stored one.
    for (const [i, content] of fuzzedActivityFiles(40).entries()) {
      tally.tried(category);
      const reply = await upload(content);
      if (reply.status >= 500 || errorShapeProblem(reply)) {
        tally.misbehaved(category, `fuzzed FIT ${i}: ${reply.status} ${reply.text.slice(0, 160)}`);
      }
    }
    const halfStored = await db.countUploadsWithoutStreams();
    tally.tried(category);
    if (halfStored !== 0) {
      tally.misbehaved(category, `${halfStored} uploaded activities have no streams row`);
    }
    if ((await call(app.url, '/healthz')).status !== 200 || app.exited()) {
      tally.misbehaved(category, 'the server is not healthy after the uploads');
    }
    recordUnhandled(tally, on('server log after the uploads'), app);
    expect(tally.problems()).toEqual([]);
  }, 120_000);
});
