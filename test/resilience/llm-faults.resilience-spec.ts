import type { FakeBehaviour, FakeOpenAi } from '../helpers/fake-openai.server';
import { call, errorShapeProblem, registerAndLogin, validQuestionnaire, type Account } from './support/http';
import { type App, recordUnhandled, startSuiteServer, type SuiteServer } from './support/server';
import { Tally } from './support/tally';

const TIMEOUT_MS = 1000;
/** The contract: whatever the upstream does, a draft is answered within 2 x OPENAI_TIMEOUT_MS + 5 s. */
const BOUND_MS = 2 * TIMEOUT_MS + 5000;
const API_KEY = 'sk-resilience-secret-key-0123456789';

const FAULTS: Array<[string, FakeBehaviour]> = [
  ['HTTP 500', { kind: 'status', status: 500 }],
  ['HTTP 503', { kind: 'status', status: 503 }],
  ['HTTP 429 with Retry-After', { kind: 'status', status: 429, headers: { 'retry-after': '30' } }],
  ['HTTP 401 (key refused)', { kind: 'status', status: 401 }],
  ['HTTP 400 naming the key', { kind: 'status', status: 400, body: { error: { message: `bad key ${API_KEY}` } } }],
  ['hang past the timeout', { kind: 'hang' }],
  ['headers then a stalled body', { kind: 'stall' }],
  ['dropped connection', { kind: 'drop' }],
  ['answer after 1.5 x the timeout', { kind: 'delay', ms: TIMEOUT_MS * 1.5, then: { kind: 'draft' } }],
  ['garbage text content', { kind: 'text', content: '<html>definitely not json' }],
  ['JSON that is not a draft', { kind: 'json', body: { hello: 'world', notes: 1 } }],
  ['200 that is not a completion', { kind: 'status', status: 200, body: { unexpected: true } }],
  ['200 with a JSON string body', { kind: 'status', status: 200, body: 'just a string' }],
  ['10 MB reply', { kind: 'huge', bytes: 10 * 1024 * 1024 }],
];

/**
 * LLM faults: each upstream failure becomes a 502 with a `detail` that names the LLM, never the upstream's
 * text or the key, within the contract's bound; the server stays healthy and logs no unhandled rejection.
 */
describe('LLM upstream faults (resilience)', () => {
  const tally = new Tally('llm-faults');
  let suite: SuiteServer;
  let fake: FakeOpenAi;
  let app: App;
  let user: Account;

  beforeAll(async () => {
    suite = await startSuiteServer('llm', { OPENAI_API_KEY: API_KEY, OPENAI_TIMEOUT_MS: String(TIMEOUT_MS) });
    ({ app, fake } = suite);
    user = await registerAndLogin(app.url, 'llm');
  });

  afterAll(async () => {
    tally.print();
    await suite?.close();
  });

  it('answers every upstream fault with a 502 within the bound and stays healthy', async () => {
    for (const [name, behaviour] of FAULTS) {
      fake.reset();
      fake.setDefault(behaviour);
      tally.tried('faults');
      let reply;
      try {
        reply = await call(app.url, '/missions/draft', {
          body: validQuestionnaire(),
          token: user.access,
          timeoutMs: BOUND_MS + 5000,
        });
      } catch (error) {
        tally.misbehaved('faults', `${name}: no answer (${(error as Error).message})`);
        continue;
      }
      const problems: string[] = [];
      if (reply.status !== 502) {
        problems.push(`status ${reply.status}`);
      }
      if (reply.ms > BOUND_MS) {
        problems.push(`answered after ${Math.round(reply.ms)} ms (bound ${BOUND_MS})`);
      }
      const detail = String(reply.json?.detail ?? '');
      if (!/LLM/.test(detail)) {
        problems.push(`detail does not mention the LLM: ${reply.text.slice(0, 120)}`);
      }
      if (
        reply.text.includes(API_KEY) ||
        reply.text.includes('fake upstream failure') ||
        reply.text.includes('bad key')
      ) {
        problems.push('the body repeats the upstream error or the key');
      }
      const shape = errorShapeProblem(reply);
      if (shape) {
        problems.push(shape);
      }
      const attempts = fake.requests.length;
      if (attempts > 2) {
        problems.push(`${attempts} upstream calls (at most 2: the first and one retry)`);
      }
      const health = await call(app.url, '/healthz', { timeoutMs: 2000 }).catch(() => undefined);
      if (health?.status !== 200) {
        problems.push('/healthz failed after it');
      }
      for (const p of problems) {
        tally.misbehaved('faults', `${name}: ${p}`);
      }
    }
    expect(tally.problems('faults')).toEqual([]);
  });

  it('keeps serving other requests while several drafts hang, and answers each within the bound', async () => {
    fake.reset();
    fake.setDefault({ kind: 'hang' });
    let firstDraftAnswered = Infinity;
    const drafts = Array.from({ length: 6 }, () =>
      call(app.url, '/missions/draft', {
        body: validQuestionnaire(),
        token: user.access,
        timeoutMs: BOUND_MS + 5000,
      }).then((reply) => {
        firstDraftAnswered = Math.min(firstDraftAnswered, performance.now());
        return reply;
      }),
    );
    tally.tried('concurrent hangs', drafts.length);
    await new Promise((r) => setTimeout(r, 200));
    // Ordering, not timing: /users/me must be answered while the drafts are still waiting on the LLM.
    const me = await call(app.url, '/users/me', { token: user.access, timeoutMs: BOUND_MS });
    const meAnswered = performance.now();
    tally.tried('requests during hangs');
    if (me.status !== 200 || meAnswered >= firstDraftAnswered) {
      tally.misbehaved(
        'requests during hangs',
        `GET /users/me answered ${me.status} in ${Math.round(me.ms)} ms, ${meAnswered >= firstDraftAnswered ? 'after' : 'before'} the hanging drafts`,
      );
    }
    for (const reply of await Promise.all(drafts)) {
      if (reply.status !== 502 || reply.ms > BOUND_MS) {
        tally.misbehaved('concurrent hangs', `${reply.status} after ${Math.round(reply.ms)} ms`);
      }
    }
    expect([...tally.problems('concurrent hangs'), ...tally.problems('requests during hangs')]).toEqual([]);
  });

  it('recovers: a working upstream gives a draft again, and nothing went unhandled', async () => {
    fake.reset();
    tally.tried('recovery');
    const reply = await call(app.url, '/missions/draft', { body: validQuestionnaire(), token: user.access });
    if (reply.status !== 201) {
      tally.misbehaved('recovery', `draft after the faults answered ${reply.status}: ${reply.text.slice(0, 200)}`);
    }
    // Let late upstream events (a hang's socket closing) surface in the log before reading it.
    await new Promise((r) => setTimeout(r, 500));
    recordUnhandled(tally, 'server log', app);
    expect(app.exited()).toBe(false);
    expect(tally.problems()).toEqual([]);
  });
});
