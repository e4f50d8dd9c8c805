import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectFirstDraftCall } from '../helpers/llm-draft';
import { MissionDraftRecord } from '../../src/mission-builder/mission-draft-record.entity';
import { MissionDraftsService } from '../../src/mission-builder/mission-drafts.service';
import { User } from '../../src/users/user.entity';
import { LoggedIn, registerAndLogin } from '../helpers/auth';
import { startFakeOpenAi, type FakeOpenAi } from '../helpers/fake-openai.server';
import { createTestApp, TestApp } from '../helpers/test-app';
import { auditRowsOf } from '../helpers/missions';
import { utcDate } from '../helpers/dates';

const FTP = 263;
const CONSTRAINTS = 'Recovering from knee surgery, no climbing before March';
const DAYS = ['Tuesday', 'Saturday'];
const TIMEOUT_MS = 1000;

function questionnaire(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    event_name: 'Unbound Gravel 200',
    event_date: utcDate(100),
    mission_type: 'gravel_ultra',
    weekly_hours: { min: 6, max: 10 },
    current_ftp: FTP,
    preferred_training_days: DAYS,
    constraints: CONSTRAINTS,
    riding_style: 'gc',
    notification_preferences: { channel: 'email', evening_summary: false },
    ...overrides,
  };
}

const builderEnv = (fake: FakeOpenAi): Record<string, string> => ({
  OPENAI_API_KEY: 'test-key',
  OPENAI_BASE_URL: fake.url,
  OPENAI_TIMEOUT_MS: String(TIMEOUT_MS),
});

describe('mission builder: drafts, confirmation and the LLM upstream (e2e)', () => {
  let fake: FakeOpenAi;
  let t: TestApp;
  let rider: LoggedIn;
  let other: LoggedIn;

  beforeAll(async () => {
    fake = await startFakeOpenAi();
    t = await createTestApp(builderEnv(fake));
    rider = await registerAndLogin(t.http);
    other = await registerAndLogin(t.http);
  });
  afterAll(async () => {
    await t.close();
    await fake.close();
  });
  beforeEach(() => fake.reset());

  const draft = (who: LoggedIn = rider, body: Record<string, unknown> = questionnaire()) =>
    t.http.post('/missions/draft').set(who.auth).send(body);
  const drafts = () => t.db.getRepository(MissionDraftRecord);
  const auditRows = (requestId: string): Promise<Record<string, unknown>[]> => auditRowsOf(t.db, requestId);

  describe('POST /missions/draft', () => {
    it('answers 201 with a pending draft built from the questionnaire, and creates no mission', async () => {
      const res = await draft().set('X-Request-Id', 'draft-ok').expect(201);
      expect(res.body).toEqual({
        draft_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        draft: expect.any(Object),
        generated_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
        model_used: 'gpt-4o-mini',
        prompt_tokens: 120,
        completion_tokens: 80,
      });
      expect(res.body.draft).toMatchObject({
        name: expect.any(String),
        mission_type: 'gravel_ultra',
        event_start: utcDate(100),
        event_end: utcDate(100),
        notification_preferences: {
          channel: 'email',
          morning_briefing: true,
          evening_summary: false,
          weekly_review: true,
        },
      });
      expect(res.body.draft.prep_start < res.body.draft.event_start).toBe(true);

      const stored = await drafts().findOneByOrFail({ id: res.body.draft_id });
      expect(stored).toMatchObject({ userId: rider.id, missionId: null, model: 'gpt-4o-mini', draft: res.body.draft });
      expect(stored.expiresAt.getTime() - stored.createdAt.getTime()).toBe(24 * 3_600_000);
      expect((await t.http.get('/missions').set(rider.auth).expect(200)).body).toEqual([]);

      const [row] = await auditRows('draft-ok');
      expect(row).toMatchObject({
        action: 'mission.draft',
        resource: 'mission_draft',
        resource_id: res.body.draft_id,
        status_code: 201,
        user_id: rider.id,
      });
      // The clock and the draft's random id may hold any digits; everything else must be free of the answers.
      const { created_at: _createdAt, resource_id: _draftId, ...rest } = row;
      expect(JSON.stringify(rest)).not.toMatch(new RegExp(`(?<!\\d)${FTP}(?!\\d)|knee|Tuesday|Saturday`, 'i'));
    });

    it('sends the configured model, temperature 0.7, a JSON schema response format and the system prompt first', async () => {
      await draft().expect(201);
      expect(fake.requests).toHaveLength(1);
      const [call] = fake.requests;
      expectFirstDraftCall(call, 'test-key');
      expect(call.body.messages?.[0].content).toContain('Lanterne Rouge');
      expect(call.body.messages?.[1].content).toContain('<<<QUESTIONNAIRE_JSON');
      expect(call.body.messages?.[1].content).toContain(CONSTRAINTS);
    });

    it("lets the athlete's facts win over the model", async () => {
      fake.enqueue({
        kind: 'draft',
        overrides: {
          event_start: utcDate(90),
          mission_type: 'road_century',
          constraints: { min_readiness: 70, min_tsb: -10, max_weekly_hours: 30 },
          notification_preferences: {
            channel: 'sms',
            morning_briefing: false,
            evening_summary: true,
            weekly_review: false,
          },
        },
      });
      const res = await draft().expect(201);
      expect(res.body.draft).toMatchObject({
        event_start: utcDate(100),
        mission_type: 'gravel_ultra',
        constraints: { max_weekly_hours: 10 },
        notification_preferences: {
          channel: 'email',
          morning_briefing: true,
          evening_summary: false,
          weekly_review: true,
        },
      });
    });

    it('accepts a reply with prose around the JSON object', async () => {
      const first = await draft().expect(201);
      fake.reset();
      fake.enqueue({
        kind: 'text',
        content: `Here is your plan:\n\`\`\`json\n${JSON.stringify(first.body.draft)}\n\`\`\`\nGood luck!`,
      });
      await draft().expect(201);
      expect(fake.requests).toHaveLength(1);
    });

    it('retries once at temperature 0, naming the problem, when the first reply is not JSON', async () => {
      fake.enqueue({ kind: 'text', content: 'Sure! I would love to help you train.' });
      const res = await draft().expect(201);
      expect(res.body.prompt_tokens).toBe(240);
      expect(fake.requests.map((r) => r.body.temperature)).toEqual([0.7, 0]);
      const retry = fake.requests[1].body.messages ?? [];
      expect(retry.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
      expect(retry[2].content).toBe('Sure! I would love to help you train.');
      expect(retry[3].content).toMatch(/not valid JSON/);
    });

    it('answers 502 after two invalid replies (not JSON, then a draft that breaks the schema)', async () => {
      fake.enqueue({ kind: 'text', content: 'no json here' }, { kind: 'text', content: '{"still": "broken"' });
      const twice = await draft().expect(502);
      expect(twice.body.detail).toMatch(/LLM/);
      expect(fake.requests.map((r) => r.body.temperature)).toEqual([0.7, 0]);

      fake.reset();
      fake.enqueue({ kind: 'json', body: { name: 'x' } }, { kind: 'draft', overrides: { prep_start: utcDate(200) } });
      const invalid = await draft().expect(502);
      expect(invalid.body.detail).toMatch(/LLM/);
      expect(fake.requests).toHaveLength(2);
      expect(fake.requests[1].body.messages?.[3].content).toMatch(/missing field/);
    });

    it.each([
      ['a 500', { kind: 'status', status: 500 }],
      ['a 429', { kind: 'status', status: 429, headers: { 'retry-after': '1' } }],
      ['a dropped connection', { kind: 'drop' }],
    ] as const)(
      'answers 502 for %s from the upstream, without its raw error, and does not retry',
      async (_label, behaviour) => {
        fake.enqueue(behaviour);
        const res = await draft().expect(502);
        expect(res.body.detail).toMatch(/^LLM service unavailable/);
        expect(res.body.detail).not.toMatch(/fake upstream failure|test-key/);
        expect(fake.requests).toHaveLength(1);
      },
    );

    it('answers 502 within 2 x OPENAI_TIMEOUT_MS + 5 s when the upstream hangs', async () => {
      fake.enqueue({ kind: 'hang' });
      const started = Date.now();
      const res = await draft().expect(502);
      expect(Date.now() - started).toBeLessThan(2 * TIMEOUT_MS + 5000);
      expect(res.body.detail).toMatch(/LLM .*in time/);
    });

    it('keeps the whole request within the bound when the retry hangs too', async () => {
      fake.enqueue({ kind: 'text', content: 'not json' }, { kind: 'stall' });
      const started = Date.now();
      await draft().expect(502);
      expect(Date.now() - started).toBeLessThan(2 * TIMEOUT_MS + 5000);
      expect(fake.requests).toHaveLength(2);
    });

    it.each([
      ['an FTP below 50', { current_ftp: 20 }, ['body', 'current_ftp']],
      ['weekly hours max below min', { weekly_hours: { min: 10, max: 5 } }, ['body', 'weekly_hours', 'max']],
      ['an event date that is not in the future', { event_date: utcDate(0) }, ['body', 'event_date']],
      ['a malformed event date', { event_date: '2030-02-30' }, ['body', 'event_date']],
      ['constraints over 1000 characters', { constraints: 'x'.repeat(1001) }, ['body', 'constraints']],
      ['an unknown riding style', { riding_style: 'wild' }, ['body', 'riding_style']],
      ['an unknown weekday', { preferred_training_days: ['Funday'] }, ['body', 'preferred_training_days']],
      ['an unknown field', { is_admin: true }, ['body', 'is_admin']],
    ])('answers 422 for %s without calling the model', async (_label, overrides, loc) => {
      const res = await draft(rider, questionnaire(overrides)).expect(422);
      expect(res.body.detail.map((item: { loc: unknown[] }) => item.loc)).toContainEqual(loc);
      expect(fake.requests).toHaveLength(0);
    });

    it('refuses anonymous callers with 403', async () => {
      await t.http.post('/missions/draft').send(questionnaire()).expect(403);
      expect(fake.requests).toHaveLength(0);
    });

    it('logs every attempt as redacted JSON: no FTP, constraints text or training days anywhere', async () => {
      fake.enqueue({ kind: 'text', content: `FTP ${FTP}? Rest on ${DAYS.join(' and ')}; ${CONSTRAINTS}.` });
      await draft().expect(201);
      const dir = join(t.config.LOG_DIR, 'mission_builder');
      const files = readdirSync(dir).filter((name) => name.endsWith('.json'));
      expect(files.length).toBeGreaterThanOrEqual(2);
      let sawRetryPrompt = false;
      for (const name of files) {
        const record = JSON.parse(readFileSync(join(dir, name), 'utf8')) as Record<string, unknown>;
        expect(Object.keys(record)).toEqual(
          expect.arrayContaining([
            'timestamp',
            'model',
            'attempt',
            'temperature',
            'outcome',
            'prompt_tokens',
            'completion_tokens',
            'questionnaire',
            'messages',
            'reply',
          ]),
        );
        expect(new Date(record.timestamp as string).toISOString()).toBe(record.timestamp);
        // The server's clock values may hold any digits; everything else must be free of the FTP.
        const { timestamp: _timestamp, duration_ms: _duration, ...rest } = record;
        const text = JSON.stringify(rest);
        expect(text).not.toMatch(new RegExp(`(?<!\\d)${FTP}(?!\\d)`));
        expect(text.toLowerCase()).not.toContain(CONSTRAINTS.toLowerCase());
        expect(text).not.toMatch(/knee surgery/i);
        for (const day of DAYS) {
          expect(text.toLowerCase()).not.toContain(day.toLowerCase());
        }
        expect(rest.questionnaire).toMatchObject({
          event_name: 'Unbound ... 200',
          current_ftp: '[REDACTED]',
          constraints: '[REDACTED]',
          preferred_training_days: '[REDACTED]',
        });
        sawRetryPrompt ||= (rest.messages as unknown[]).length === 4;
      }
      expect(sawRetryPrompt).toBe(true);
    });

    it('counts LLM calls by outcome and their tokens in /metrics', async () => {
      fake.enqueue({ kind: 'status', status: 500 });
      await draft().expect(502);
      await draft().expect(201);
      const metrics = await t.http.get('/metrics').expect(200);
      const value = (pattern: RegExp): number => Number(pattern.exec(metrics.text)?.[1] ?? NaN);
      expect(value(/^llm_requests_total\{outcome="success"\} (\d+)/m)).toBeGreaterThanOrEqual(1);
      expect(value(/^llm_requests_total\{outcome="upstream_error"\} (\d+)/m)).toBeGreaterThanOrEqual(1);
      expect(value(/^llm_tokens_total\{kind="prompt"\} (\d+)/m)).toBeGreaterThanOrEqual(120);
      expect(value(/^llm_tokens_total\{kind="completion"\} (\d+)/m)).toBeGreaterThanOrEqual(80);
    });
  });

  describe('POST /missions/draft/{draft_id}/confirm', () => {
    it('creates the mission from the draft (201), then answers 200 with the same mission', async () => {
      const created = await draft().expect(201);
      const d = created.body.draft;
      const first = await t.http
        .post(`/missions/draft/${created.body.draft_id}/confirm`)
        .set(rider.auth)
        .set('X-Request-Id', 'confirm-1')
        .expect(201);
      expect(first.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        user_id: rider.id,
        name: d.name,
        mission_type: 'gravel_ultra',
        event_start_date: d.event_start,
        event_end_date: d.event_end,
        prep_start_date: d.prep_start,
        prep_end_date: null,
        state: 'PREP',
        points_schema: d.points_schema,
        timezone: 'UTC',
        constraints: d.constraints,
        notification_preferences: d.notification_preferences,
        created_at: expect.any(String),
        updated_at: expect.any(String),
      });
      const again = await t.http
        .post(`/missions/draft/${created.body.draft_id}/confirm`)
        .set(rider.auth)
        .set('X-Request-Id', 'confirm-2')
        .expect(200);
      expect(again.body).toEqual(first.body);
      const mine = await t.http.get('/missions').set(rider.auth).expect(200);
      expect(mine.body.filter((m: { id: string }) => m.id === first.body.id)).toHaveLength(1);
      expect(await auditRows('confirm-1')).toEqual([
        expect.objectContaining({
          action: 'mission.draft_confirm',
          status_code: 201,
          resource_id: first.body.id,
          details: `draft_id=${created.body.draft_id}`,
        }),
      ]);
      expect(await auditRows('confirm-2')).toEqual([
        expect.objectContaining({ action: 'mission.draft_confirm', status_code: 200, resource_id: first.body.id }),
      ]);
    });

    it('makes one mission when confirmations race, over HTTP and inside one process', async () => {
      const racer = await registerAndLogin(t.http);
      const created = await draft(racer).expect(201);
      const confirm = () => t.http.post(`/missions/draft/${created.body.draft_id}/confirm`).set(racer.auth);
      const answers = await Promise.all([confirm(), confirm(), confirm(), confirm()]);
      expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 201]);
      expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);

      // Called side by side, every confirmation reads the draft before any of them claims it.
      const service = t.app.get(MissionDraftsService);
      const user = await t.db.getRepository(User).findOneByOrFail({ id: racer.id });
      const next = await draft(racer).expect(201);
      const results = await Promise.all([1, 2, 3, 4].map(() => service.confirm(user, next.body.draft_id)));
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(results.map((r) => r.mission.id)).size).toBe(1);

      const missions = await t.http.get('/missions').set(racer.auth).expect(200);
      expect(missions.body.map((m: { id: string }) => m.id).sort()).toEqual(
        [answers[0].body.id, results[0].mission.id].sort(),
      );
    });

    it("answers 403 for another user's draft and creates nothing", async () => {
      const created = await draft().expect(201);
      const res = await t.http.post(`/missions/draft/${created.body.draft_id}/confirm`).set(other.auth).expect(403);
      expect(typeof res.body.detail).toBe('string');
      expect((await drafts().findOneByOrFail({ id: created.body.draft_id })).missionId).toBeNull();
      expect((await t.http.get('/missions').set(other.auth).expect(200)).body).toEqual([]);
    });

    it('answers 404 for an unknown draft or an id that is not a UUID', async () => {
      for (const id of ['3f0c9a56-2c1e-4d8e-9f4b-8a1d2b3c4d5e', 'nope']) {
        const res = await t.http.post(`/missions/draft/${id}/confirm`).set(rider.auth).expect(404);
        expect(res.body).toEqual({ detail: 'Mission draft not found or expired', code: 'draft_not_found' });
      }
    });

    it('forgets expired drafts: 404 on confirm, and removed when the next draft is made', async () => {
      const expired = await draft().expect(201);
      const forgotten = await draft().expect(201);
      const past = new Date(Date.now() - 1000);
      await drafts().update({ id: expired.body.draft_id }, { expiresAt: past });
      await drafts().update({ id: forgotten.body.draft_id }, { expiresAt: past });

      await t.http.post(`/missions/draft/${expired.body.draft_id}/confirm`).set(rider.auth).expect(404);
      expect(await drafts().findOneBy({ id: expired.body.draft_id })).toBeNull();

      expect(await drafts().findOneBy({ id: forgotten.body.draft_id })).not.toBeNull();
      await draft().expect(201);
      expect(await drafts().findOneBy({ id: forgotten.body.draft_id })).toBeNull();
    });

    it('deletes the draft with its mission, so a confirmed draft never yields a second mission', async () => {
      const created = await draft().expect(201);
      const mission = await t.http.post(`/missions/draft/${created.body.draft_id}/confirm`).set(rider.auth).expect(201);
      await t.http.delete(`/missions/${mission.body.id}`).set(rider.auth).expect(204);
      await t.http.post(`/missions/draft/${created.body.draft_id}/confirm`).set(rider.auth).expect(404);
    });
  });
});

describe('mission builder without an API key (e2e)', () => {
  it('answers 502 "LLM service is not configured" without calling anything', async () => {
    const fake = await startFakeOpenAi();
    const t = await createTestApp({ OPENAI_BASE_URL: fake.url });
    try {
      const rider = await registerAndLogin(t.http);
      const res = await t.http.post('/missions/draft').set(rider.auth).send(questionnaire()).expect(502);
      expect(res.body.detail).toMatch(/^LLM service is not configured/);
      expect(fake.requests).toHaveLength(0);
      const [log] = readdirSync(join(t.config.LOG_DIR, 'mission_builder'));
      expect(JSON.parse(readFileSync(join(t.config.LOG_DIR, 'mission_builder', log), 'utf8')).outcome).toBe(
        'not_configured',
      );
    } finally {
      await t.close();
      await fake.close();
    }
  });
});

describe('mission builder rate limit (e2e)', () => {
  it('limits drafts per user with RATE_LIMIT_DRAFT_MAX (429 with Retry-After)', async () => {
    const fake = await startFakeOpenAi();
    const t = await createTestApp({ ...builderEnv(fake), RATE_LIMIT_ENABLED: 'true', RATE_LIMIT_DRAFT_MAX: '1' });
    try {
      const rider = await registerAndLogin(t.http);
      await t.http.post('/missions/draft').set(rider.auth).send(questionnaire()).expect(201);
      const limited = await t.http.post('/missions/draft').set(rider.auth).send(questionnaire()).expect(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect(fake.requests).toHaveLength(1);
    } finally {
      await t.close();
      await fake.close();
    }
  });
});

describe('mission builder on a model server without json_schema support (e2e)', () => {
  it('logs and counts the refused json_schema call as an upstream_error attempt, then answers from json_object', async () => {
    const fake = await startFakeOpenAi();
    const t = await createTestApp(builderEnv(fake));
    try {
      const rider = await registerAndLogin(t.http);
      const counter = async (outcome: string): Promise<number> => {
        const text = (await t.http.get('/metrics').expect(200)).text;
        return Number(new RegExp(`^llm_requests_total\\{outcome="${outcome}"\\} (\\d+)`, 'm').exec(text)?.[1] ?? NaN);
      };
      const before = { upstream: await counter('upstream_error'), success: await counter('success') };
      fake.enqueue({
        kind: 'status',
        status: 400,
        body: { error: { message: "Invalid parameter: 'response_format' of type 'json_schema' is not supported." } },
      });
      await t.http.post('/missions/draft').set(rider.auth).send(questionnaire()).expect(201);
      expect(fake.requests.map((r) => r.body.response_format?.type)).toEqual(['json_schema', 'json_object']);
      expect(await counter('upstream_error')).toBe(before.upstream + 1);
      expect(await counter('success')).toBe(before.success + 1);

      const dir = join(t.config.LOG_DIR, 'mission_builder');
      const records = readdirSync(dir)
        .sort()
        .map((name) => ({
          name,
          record: JSON.parse(readFileSync(join(dir, name), 'utf8')) as Record<string, unknown>,
        }));
      expect(records.map(({ record }) => [record.attempt, record.outcome, record.response_format])).toEqual([
        [1, 'upstream_error', 'json_schema'],
        [2, 'success', 'json_object'],
      ]);
      expect(records[0].record.error).toBe('response_format json_schema unsupported; falling back to json_object');
      expect(records.map(({ name }) => name.split('_')[1])).toEqual([
        records[0].name.split('_')[1],
        records[0].name.split('_')[1],
      ]);
    } finally {
      await t.close();
      await fake.close();
    }
  });
});
