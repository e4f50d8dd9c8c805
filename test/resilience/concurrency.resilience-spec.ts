import Database from 'better-sqlite3';
import { missionBody } from '../helpers/missions';
import { uniqueEmail } from '../helpers/auth';
import { call, registerAndLogin, validQuestionnaire, type Account, type Reply } from './support/http';
import { type App, recordUnhandled, startSuiteServer, type SuiteServer } from './support/server';
import { Tally } from './support/tally';

const ROUNDS = 3;

function countBy(replies: Reply[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const r of replies) {
    counts[r.status] = (counts[r.status] ?? 0) + 1;
  }
  return counts;
}

function jtiOf(token: string): string {
  return (JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as { jti: string }).jti;
}

/** Requests fired at the same moment must leave the same invariants as one at a time. */
describe('races (resilience)', () => {
  const tally = new Tally('concurrency');
  let suite: SuiteServer;
  let app: App;
  let db: Database.Database;

  beforeAll(async () => {
    suite = await startSuiteServer('race', { OPENAI_API_KEY: 'sk-race-0123456789' });
    app = suite.app;
    db = new Database(suite.dbFile, { readonly: true });
  });

  afterAll(async () => {
    tally.print();
    db?.close();
    await suite?.close();
  });

  afterEach(() => recordUnhandled(tally, 'server log', app));

  it('20 registrations of one email at once: one 201, nineteen 400, one account', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const email = uniqueEmail('dup');
      const variants = [email, email.toUpperCase(), `  ${email}  `];
      const replies = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          call(app.url, '/auth/register', { body: { email: variants[i % variants.length], password: 'password-123' } }),
        ),
      );
      tally.tried('duplicate registrations', replies.length);
      const counts = countBy(replies);
      if (counts[201] !== 1 || counts[400] !== 19) {
        tally.misbehaved('duplicate registrations', `round ${round}: statuses ${JSON.stringify(counts)}`);
      }
      const wrongDetail = replies.filter((r) => r.status === 400 && r.json?.detail !== 'Email already registered');
      if (wrongDetail.length > 0) {
        tally.misbehaved('duplicate registrations', `round ${round}: 400 detail ${wrongDetail[0].text.slice(0, 100)}`);
      }
      const accounts = db.prepare('SELECT count(*) FROM users WHERE email = ?').pluck().get(email);
      if (Number(accounts) !== 1) {
        tally.misbehaved('duplicate registrations', `round ${round}: ${String(accounts)} accounts for one email`);
      }
    }
    expect(tally.problems('duplicate registrations')).toEqual([]);
  });

  it('10 refreshes of one token at once: all get the same successor, and only one successor exists', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const user = await registerAndLogin(app.url, 'refresh-race');
      const family = db
        .prepare('SELECT family_id FROM sessions WHERE refresh_token_jti = ?')
        .pluck()
        .get(jtiOf(user.refresh)) as string;
      const replies = await Promise.all(
        Array.from({ length: 10 }, () => call(app.url, '/auth/refresh', { body: { refresh_token: user.refresh } })),
      );
      tally.tried('refresh races', replies.length);
      const counts = countBy(replies);
      if (counts[200] !== 10) {
        tally.misbehaved(
          'refresh races',
          `round ${round}: statuses ${JSON.stringify(counts)} (all within the grace window)`,
        );
      }
      const pairs = new Set(
        replies
          .filter((r) => r.status === 200)
          .map((r) => `${r.json.access_token as string}|${r.json.refresh_token as string}`),
      );
      if (pairs.size !== 1) {
        tally.misbehaved('refresh races', `round ${round}: ${pairs.size} different token pairs handed out`);
      }
      const sessions = db.prepare('SELECT count(*) FROM sessions WHERE family_id = ?').pluck().get(family);
      if (Number(sessions) !== 2) {
        tally.misbehaved(
          'refresh races',
          `round ${round}: ${String(sessions)} sessions in the family (the spent one and one successor expected)`,
        );
      }
      const winner = replies.find((r) => r.status === 200);
      const me = winner ? await call(app.url, '/users/me', { token: winner.json.access_token as string }) : undefined;
      if (me?.status !== 200) {
        tally.misbehaved('refresh races', `round ${round}: the successor's access token answered ${me?.status}`);
      }
      const old = await call(app.url, '/users/me', { token: user.access });
      if (old.status !== 401) {
        tally.misbehaved('refresh races', `round ${round}: the spent session's access token answered ${old.status}`);
      }
    }
    expect(tally.problems('refresh races')).toEqual([]);
  });

  it('16 logins of one user at once: each gets its own session', async () => {
    const user = await registerAndLogin(app.url, 'login-race');
    const replies = await Promise.all(
      Array.from({ length: 16 }, () =>
        call(app.url, '/auth/login', { body: { email: user.email, password: user.password } }),
      ),
    );
    tally.tried('login races', replies.length);
    const jtis = new Set(replies.filter((r) => r.status === 200).map((r) => jtiOf(r.json.access_token as string)));
    if (jtis.size !== 16) {
      tally.misbehaved(
        'login races',
        `${jtis.size} distinct sessions from 16 logins (${JSON.stringify(countBy(replies))})`,
      );
    }
    expect(tally.problems('login races')).toEqual([]);
  });

  it('10 confirms of one draft at once: one mission, one 201, the rest 200; strangers 403', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const owner = await registerAndLogin(app.url, 'confirm-race');
      const stranger = await registerAndLogin(app.url, 'stranger');
      const draft = await call(app.url, '/missions/draft', { body: validQuestionnaire(), token: owner.access });
      if (draft.status !== 201) {
        tally.misbehaved(
          'draft confirm races',
          `round ${round}: the draft answered ${draft.status}: ${draft.text.slice(0, 120)}`,
        );
        continue;
      }
      const confirm = (who: Account): Promise<Reply> =>
        call(app.url, `/missions/draft/${draft.json.draft_id as string}/confirm`, {
          method: 'POST',
          token: who.access,
        });
      const [mine, theirs] = await Promise.all([
        Promise.all(Array.from({ length: 10 }, () => confirm(owner))),
        Promise.all(Array.from({ length: 3 }, () => confirm(stranger))),
      ]);
      tally.tried('draft confirm races', mine.length + theirs.length);
      const counts = countBy(mine);
      if (counts[201] !== 1 || counts[200] !== 9) {
        tally.misbehaved('draft confirm races', `round ${round}: owner statuses ${JSON.stringify(counts)}`);
      }
      const ids = new Set(mine.filter((r) => r.status < 300).map((r) => r.json.id as string));
      if (ids.size !== 1) {
        tally.misbehaved('draft confirm races', `round ${round}: ${ids.size} different missions`);
      }
      if (theirs.some((r) => r.status !== 403)) {
        tally.misbehaved('draft confirm races', `round ${round}: stranger statuses ${JSON.stringify(countBy(theirs))}`);
      }
      const missions = db.prepare('SELECT count(*) FROM missions WHERE user_id = ?').pluck().get(owner.id);
      if (Number(missions) !== 1) {
        tally.misbehaved('draft confirm races', `round ${round}: the owner has ${String(missions)} missions`);
      }
    }
    expect(tally.problems('draft confirm races')).toEqual([]);
  });

  it('10 identical transitions at once: one 200, nine 409; 5 deletes at once: one 204, four 404', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const owner = await registerAndLogin(app.url, 'transition-race');
      const created = await call(app.url, '/missions', { body: missionBody(), token: owner.access });
      if (created.status !== 201) {
        tally.misbehaved('transition races', `round ${round}: creating the mission answered ${created.status}`);
        continue;
      }
      const id = created.json.id as string;
      const moves = await Promise.all(
        Array.from({ length: 10 }, () =>
          call(app.url, `/missions/${id}/transition`, { body: { target_state: 'TRAINING' }, token: owner.access }),
        ),
      );
      tally.tried('transition races', moves.length);
      const counts = countBy(moves);
      if (counts[200] !== 1 || counts[409] !== 9) {
        tally.misbehaved('transition races', `round ${round}: statuses ${JSON.stringify(counts)}`);
      }
      const state = (await call(app.url, `/missions/${id}`, { token: owner.access })).json?.state;
      if (state !== 'TRAINING') {
        tally.misbehaved('transition races', `round ${round}: final state ${String(state)}`);
      }
      const deletes = await Promise.all(
        Array.from({ length: 5 }, () => call(app.url, `/missions/${id}`, { method: 'DELETE', token: owner.access })),
      );
      tally.tried('delete races', deletes.length);
      const deleted = countBy(deletes);
      if (deleted[204] !== 1 || deleted[404] !== 4) {
        tally.misbehaved('delete races', `round ${round}: statuses ${JSON.stringify(deleted)}`);
      }
    }
    expect([
      ...tally.problems('transition races'),
      ...tally.problems('delete races'),
      ...tally.problems('server log'),
    ]).toEqual([]);
  });
});
