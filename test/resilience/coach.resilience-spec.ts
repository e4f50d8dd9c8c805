import Database from 'better-sqlite3';
import { createServer } from 'node:net';
import { call, registerAndLogin, type Account } from './support/http';
import { startApp, startSuiteServer, type App, type SuiteServer } from './support/server';
import { Tally } from './support/tally';
import { emlMails, eventually, startSmtpTestServer, type SmtpTestServer } from '../helpers/mail';

const API_KEY = 'sk-resilience-coach-0123456789';
const EMAIL_PREFS = { channel: 'email', morning_briefing: true, evening_summary: false, weekly_review: false };

/** A fixed-offset zone where it is about noon now: every briefing is due whatever time the suite runs. */
function noonZone(): string {
  const offset = ((12 - new Date().getUTCHours() + 36) % 24) - 12;
  return offset === 0 ? 'Etc/GMT' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
}

function isoDate(daysFromNow: number): string {
  return new Date(Date.now() + daysFromNow * 86_400_000).toISOString().slice(0, 10);
}

/** `count` missions of the user in TRAINING, in a zone where their briefing is due now. */
async function dueMissions(base: string, user: Account, count: number, prefs: object | null = null): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const made = await call(base, '/missions', {
      token: user.access,
      body: {
        name: `Resilience ${i}`,
        mission_type: 'gran_fondo',
        event_start_date: isoDate(60),
        event_end_date: isoDate(60),
        timezone: noonZone(),
        constraints: { min_tsb: -20, min_readiness: 60, max_weekly_hours: 12 },
        notification_preferences: prefs,
      },
    });
    const moved = await call(base, `/missions/${made.json.id as string}/transition`, {
      token: user.access,
      body: { target_state: 'TRAINING' },
    });
    if (made.status !== 201 || moved.status !== 200) {
      throw new Error(`mission setup failed: ${made.status} ${moved.status}`);
    }
    ids.push(made.json.id as string);
  }
  return ids;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * The coach when its outside services fail: the LLM down for a whole morning still gives every mission its
 * briefing (from the rules), and a mail server that is down delays the briefings' mail and loses none.
 */
describe('coach briefings when the LLM or the mail server is down (resilience)', () => {
  const tally = new Tally('coach');
  let suite: SuiteServer | undefined;
  let app: App | undefined;
  let smtp: SmtpTestServer | undefined;

  afterEach(async () => {
    await app?.stop();
    app = undefined;
    await suite?.close();
    suite = undefined;
    await smtp?.close();
    smtp = undefined;
  });
  afterAll(() => tally.print());

  it('makes a fallback briefing for every due mission while the LLM fails all morning', async () => {
    suite = await startSuiteServer('coach-llm', { OPENAI_API_KEY: API_KEY, OPENAI_TIMEOUT_MS: '500' });
    suite.fake.setDefault({ kind: 'status', status: 503 });
    const user = await registerAndLogin(suite.app.url, 'coach');
    const ids = await dueMissions(suite.app.url, user, 25);
    // A restart with the scheduler on: its first pass, at start-up, queues every due briefing.
    await suite.app.stop();
    app = await startApp({ ...suite.env, ENABLE_COACH_SCHEDULER: 'true', COACH_CONCURRENCY: '4' });
    const base = app.url;
    for (const id of ids) {
      tally.tried('llm-down');
      let runs: Array<{ status: string; model_used: string | null }> = [];
      try {
        runs = await eventually(
          async () => {
            const reply = await call(base, `/missions/${id}/runs`, { token: user.access });
            return Array.isArray(reply.json) && reply.json.length > 0 ? (reply.json as typeof runs) : undefined;
          },
          60_000,
          `a run of mission ${id}`,
        );
      } catch (error) {
        tally.misbehaved('llm-down', (error as Error).message);
        continue;
      }
      if (runs.length !== 1 || runs[0].status !== 'fallback' || runs[0].model_used !== null) {
        tally.misbehaved('llm-down', `mission ${id}: ${JSON.stringify(runs)}`);
      }
    }
    if (suite.fake.requests.length < ids.length) {
      tally.misbehaved('llm-down', `only ${suite.fake.requests.length} model calls for ${ids.length} missions`);
    }
    tally.note('llm-down', `${suite.fake.requests.length} failed model calls, ${ids.length} fallback briefings`);
    expect(tally.problems('llm-down')).toEqual([]);
  });

  it('queues the briefings mail while the mail server is down and delivers each once when it returns', async () => {
    const port = await freePort();
    suite = await startSuiteServer('coach-mail', { SMTP_URL: `smtp://mailer:mail-secret@127.0.0.1:${port}` });
    const base = suite.app.url;
    const user = await registerAndLogin(base, 'coachmail');
    const ids = await dueMissions(base, user, 5, EMAIL_PREFS);
    for (const id of ids) {
      tally.tried('mail-down');
      const reply = await call(base, `/missions/${id}/runs`, { token: user.access, method: 'POST' });
      if (reply.status !== 201) {
        tally.misbehaved('mail-down', `the run failed with the mail server down: ${reply.status}`);
      }
    }
    // Down: every briefing mail is refused at least once (its outbox row waits for its retry); the runs stand.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const runs = await Promise.all(ids.map((id) => call(base, `/missions/${id}/runs`, { token: user.access })));
    if (runs.some((r) => r.status !== 200 || (r.json as unknown[]).length !== 1)) {
      tally.misbehaved('mail-down', 'a run is missing while the mail server is down');
    }
    smtp = await startSmtpTestServer('mailer', 'mail-secret', port);
    const briefings = () => smtp?.messages.filter((m) => m.to === user.email && m.subject.startsWith('Today:')) ?? [];
    try {
      await eventually(() => (briefings().length >= ids.length ? true : undefined), 90_000, 'the delayed mails');
    } catch (error) {
      tally.misbehaved('mail-down', `${(error as Error).message}: ${briefings().length} of ${ids.length}`);
    }
    // A little longer: a second copy of any of them would be a misbehaviour.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    if (briefings().length !== ids.length) {
      tally.misbehaved('mail-down', `${briefings().length} briefing mails for ${ids.length} runs`);
    }
    tally.note('mail-down', `${briefings().length} briefings delivered after the mail server came back`);
    expect(tally.problems('mail-down')).toEqual([]);
  });

  it('loses no run and no mail when the server is killed (kill -9) while the briefings are being made', async () => {
    suite = await startSuiteServer('coach-crash', { OPENAI_API_KEY: API_KEY, OPENAI_TIMEOUT_MS: '5000' });
    suite.fake.setDefault({ kind: 'delay', ms: 150, then: { kind: 'plan' } });
    const user = await registerAndLogin(suite.app.url, 'coachcrash');
    const ids = await dueMissions(suite.app.url, user, 40, EMAIL_PREFS);
    await suite.app.stop();
    // Short leases: the killed process's jobs are taken again within seconds.
    const env = {
      ...suite.env,
      ENABLE_COACH_SCHEDULER: 'true',
      COACH_CONCURRENCY: '4',
      JOBS_LEASE_SECONDS: '3',
      JOBS_POLL_INTERVAL_MS: '500',
    };
    const runsOf = async (base: string, id: string): Promise<number> => {
      const reply = await call(base, `/missions/${id}/runs`, { token: user.access });
      return Array.isArray(reply.json) ? (reply.json as unknown[]).length : -1;
    };
    // Twice: the scheduler's first pass queues the briefings, and the process dies in the middle of them.
    for (const after of [700, 400]) {
      app = await startApp(env);
      await new Promise((resolve) => setTimeout(resolve, after));
      await app.stop('SIGKILL');
      app = undefined;
    }
    app = await startApp(env);
    const base = app.url;
    const logDir = suite.env.LOG_DIR;
    for (const id of ids) {
      tally.tried('crash');
      try {
        await eventually(async () => ((await runsOf(base, id)) >= 1 ? true : undefined), 60_000, `a run of ${id}`);
      } catch (error) {
        tally.misbehaved('crash', (error as Error).message);
      }
      if ((await runsOf(base, id)) !== 1) {
        tally.misbehaved('crash', `mission ${id} has ${await runsOf(base, id)} runs`);
      }
    }
    // Every run gets its mail queued, once: a crash between a run and its mail is caught up by the next pass.
    const db = new Database(suite.dbFile, { readonly: true });
    try {
      const queued = (): number =>
        Number(db.prepare("SELECT count(*) FROM coach_deliveries WHERE kind = 'morning_briefing'").pluck().get());
      await eventually(() => (queued() === ids.length ? true : undefined), 90_000, 'the queued mails').catch(
        (error: Error) => tally.misbehaved('crash', `${error.message}: ${queued()} of ${ids.length}`),
      );
    } finally {
      db.close();
    }
    // And delivered: a message the killed process had claimed waits for its claim to expire (2 minutes). A crash
    // between writing an .eml and marking it sent may write the same message again, with the same Message-ID.
    const briefings = () =>
      new Set(
        emlMails(logDir)
          .filter((m) => m.to === user.email && m.subject.startsWith('Today:'))
          .map((m) => m.messageId),
      );
    try {
      await eventually(() => (briefings().size >= ids.length ? true : undefined), 150_000, 'the mails');
    } catch (error) {
      tally.misbehaved('crash', `${(error as Error).message}: ${briefings().size} of ${ids.length}`);
    }
    if (briefings().size !== ids.length) {
      tally.misbehaved('crash', `${briefings().size} distinct briefing mails for ${ids.length} missions`);
    }
    tally.note('crash', `2 kills while briefing ${ids.length} missions; ${briefings().size} distinct mails`);
    tally.note('crash', `${suite.fake.requests.length} model calls for ${ids.length} missions`);
    expect(tally.problems('crash')).toEqual([]);
  }, 300_000);
});
