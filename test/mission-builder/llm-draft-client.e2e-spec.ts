import { BadGatewayException, Logger } from '@nestjs/common';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gravelQuestionnaire, validDraftFor } from '../../src/mission-builder/mission-draft.fixtures';
import { addDays, todayUtc } from '../../src/common/calendar';
import { LLM_INVALID_TWICE, LLM_NOT_CONFIGURED, LlmDraftClient } from '../../src/mission-builder/llm-draft.client';
import { expectFirstDraftCall, fakeServerClient, useFakeOpenAi } from '../helpers/llm-draft';
import type { LlmAttemptOutcome, LlmSettings } from '../../src/llm/llm-settings';

const TODAY = todayUtc();
const q = gravelQuestionnaire(addDays(TODAY, 120), {
  notification_preferences: { channel: 'email', weekly_review: false },
});
const valid = validDraftFor(q, TODAY);

const fake = useFakeOpenAi();
const outcomes: LlmAttemptOutcome[] = [];

function client(overrides: Partial<LlmSettings> = {}): LlmDraftClient {
  return fakeServerClient(fake, {
    apiKey: 'sk-test-key-0123456789',
    logDir: mkdtempSync(join(tmpdir(), 'llm-client-')),
    onAttempt: (outcome) => outcomes.push(outcome),
    ...overrides,
  });
}

async function failure(promise: Promise<unknown>): Promise<BadGatewayException> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(BadGatewayException);
  return error as BadGatewayException;
}

const temperatures = () => fake.requests.map((r) => r.body.temperature);

beforeEach(() => {
  outcomes.length = 0;
});
afterEach(() => {
  jest.restoreAllMocks();
});

describe('LlmDraftClient', () => {
  it('returns a valid draft from one call with the contract request shape', async () => {
    fake.enqueue({ kind: 'json', body: valid });
    const result = await client().generateDraft(q, TODAY);
    expect(result).toEqual({
      draft: valid,
      model: 'gpt-4o-mini',
      promptTokens: 120,
      completionTokens: 80,
    });
    expect(fake.requests).toHaveLength(1);
    expectFirstDraftCall(fake.requests[0], 'sk-test-key-0123456789');
    expect(outcomes).toEqual(['success']);
  });

  it('accepts JSON wrapped in prose and a markdown fence', async () => {
    fake.enqueue({
      kind: 'text',
      content: `Here you go:\n\`\`\`json\n${JSON.stringify(valid)}\n\`\`\`\nEnjoy!`,
    });
    await expect(client().generateDraft(q, TODAY)).resolves.toMatchObject({ draft: valid });
    expect(fake.requests).toHaveLength(1);
  });

  it('retries once at temperature 0 after a draft that breaks the schema, naming the problem', async () => {
    fake.enqueue({ kind: 'json', body: { ...valid, notes: 'short' } }, { kind: 'json', body: valid });
    const result = await client().generateDraft(q, TODAY);
    expect(result).toMatchObject({ draft: valid, promptTokens: 240, completionTokens: 160 });
    expect(temperatures()).toEqual([0.7, 0]);
    const retry = fake.requests[1].body.messages ?? [];
    expect(retry.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(retry[2].content).toContain('"notes":"short"');
    expect(retry[3].content).toContain('notes must NOT have fewer than 10 characters');
    expect(outcomes).toEqual(['invalid_draft', 'success']);
  });

  it('answers 502 after invalid JSON twice', async () => {
    fake.enqueue({ kind: 'text', content: 'not json' }, { kind: 'text', content: 'still {not json' });
    const error = await failure(client().generateDraft(q, TODAY));
    expect(error.message).toBe(LLM_INVALID_TWICE);
    expect(temperatures()).toEqual([0.7, 0]);
    expect(fake.requests[1].body.messages?.[3].content).toMatch(/not valid JSON/);
    expect(outcomes).toEqual(['invalid_json', 'invalid_json']);
  });

  it('retries after a huge unparsable reply without sending it all back', async () => {
    fake.enqueue({ kind: 'huge', bytes: 2_000_000 }, { kind: 'json', body: valid });
    await expect(client().generateDraft(q, TODAY)).resolves.toMatchObject({ draft: valid });
    expect(fake.requests[1].body.messages?.[2].content.length).toBeLessThanOrEqual(20_000);
  });

  it.each([
    [500, /the model server answered HTTP 500/],
    [429, /rate limiting/],
    [401, /refused the configured credentials/],
  ])('answers 502 at once on an upstream %i, without its error text', async (status, reason) => {
    fake.enqueue({
      kind: 'status',
      status,
      headers: { 'retry-after': '0' },
      body: { error: { message: 'secret upstream detail sk-test-key-0123456789' } },
    });
    const error = await failure(client().generateDraft(q, TODAY));
    expect(error.message).toMatch(/^LLM service unavailable: /);
    expect(error.message).toMatch(reason);
    expect(error.message).not.toMatch(/secret|sk-/);
    expect(fake.requests).toHaveLength(1);
    expect(outcomes).toEqual(['upstream_error']);
  });

  it('answers 502 when the server hangs, within the time budget', async () => {
    fake.enqueue({ kind: 'hang' });
    const started = Date.now();
    const error = await failure(client({ timeoutMs: 300 }).generateDraft(q, TODAY));
    expect(Date.now() - started).toBeLessThan(2 * 300 + 5000);
    expect(error.message).toBe('LLM service unavailable: the model did not answer in time');
    expect(fake.requests).toHaveLength(1);
    expect(outcomes).toEqual(['timeout']);
  });

  it('keeps the whole request within 2 x timeout when the retry hangs too', async () => {
    fake.enqueue({ kind: 'delay', ms: 250, then: { kind: 'text', content: 'nope' } }, { kind: 'hang' });
    const started = Date.now();
    await failure(client({ timeoutMs: 300 }).generateDraft(q, TODAY));
    expect(Date.now() - started).toBeLessThan(2 * 300 + 500);
    expect(outcomes).toEqual(['invalid_json', 'timeout']);
  });

  it('answers 502 when the headers are late', async () => {
    fake.enqueue({ kind: 'delay', ms: 5000, then: { kind: 'json', body: valid } });
    const started = Date.now();
    await failure(client({ timeoutMs: 300 }).generateDraft(q, TODAY));
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('cuts a reply whose body never finishes', async () => {
    fake.enqueue({ kind: 'stall' });
    const started = Date.now();
    await failure(client({ timeoutMs: 300 }).generateDraft(q, TODAY));
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('answers 502 when the connection is dropped', async () => {
    fake.enqueue({ kind: 'drop' });
    const error = await failure(client().generateDraft(q, TODAY));
    expect(error.message).toBe('LLM service unavailable: could not reach the model server');
    expect(fake.requests).toHaveLength(1);
  });

  it('answers 502 "not configured" without a key and without calling anyone', async () => {
    const error = await failure(client({ apiKey: undefined }).generateDraft(q, TODAY));
    expect(error.message).toBe(LLM_NOT_CONFIGURED);
    expect(fake.requests).toHaveLength(0);
    expect(outcomes).toEqual(['not_configured']);
  });

  it('lets the questionnaire facts win over the model', async () => {
    fake.enqueue({
      kind: 'json',
      body: {
        ...valid,
        event_start: addDays(q.event_date, 3),
        event_end: addDays(q.event_date, -2),
        mission_type: 'road_century',
        notification_preferences: {
          channel: 'sms',
          morning_briefing: false,
          evening_summary: false,
          weekly_review: true,
        },
        constraints: { ...valid.constraints, max_weekly_hours: 30 },
      },
    });
    const { draft } = await client().generateDraft(q, TODAY);
    expect(draft).toMatchObject({
      event_start: q.event_date,
      event_end: q.event_date,
      mission_type: 'gravel_ultra',
      notification_preferences: {
        channel: 'email',
        morning_briefing: true,
        evening_summary: true,
        weekly_review: false,
      },
      constraints: { max_weekly_hours: 12 },
    });
    expect(fake.requests).toHaveLength(1);
    expect(outcomes).toEqual(['success']);
  });

  it('falls back to json_object when the server rejects json_schema', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    fake.enqueue(
      {
        kind: 'status',
        status: 400,
        body: {
          error: {
            message: "Invalid parameter: 'response_format' of type 'json_schema' is not supported",
          },
        },
      },
      { kind: 'json', body: valid },
      { kind: 'json', body: valid },
    );
    const llm = client();
    await expect(llm.generateDraft(q, TODAY)).resolves.toMatchObject({ draft: valid });
    await expect(llm.generateDraft(q, TODAY)).resolves.toMatchObject({ draft: valid });
    expect(fake.requests.map((r) => r.body.response_format?.type)).toEqual([
      'json_schema',
      'json_object',
      'json_object',
    ]);
    // The refused call is an LLM call like any other: counted, by outcome, with no tokens.
    expect(outcomes).toEqual(['upstream_error', 'success', 'success']);
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('keeps the json_schema fallback within the first call budget', async () => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    fake.enqueue(
      {
        kind: 'delay',
        ms: 200,
        then: {
          kind: 'status',
          status: 400,
          body: { error: { message: 'json_schema unsupported' } },
        },
      },
      { kind: 'hang' },
    );
    const started = Date.now();
    const error = await failure(client({ timeoutMs: 300 }).generateDraft(q, TODAY));
    expect(Date.now() - started).toBeLessThan(300 + 500);
    expect(error.message).toBe('LLM service unavailable: the model did not answer in time');
    expect(outcomes).toEqual(['upstream_error', 'timeout']);
  });

  it('still answers when the attempt log cannot be written or the observer throws', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    fake.enqueue({ kind: 'json', body: valid });
    const llm = client({
      logDir: join(__filename, 'not-a-directory'),
      onAttempt: () => {
        throw new Error('metrics down');
      },
    });
    await expect(llm.generateDraft(q, TODAY)).resolves.toMatchObject({ draft: valid });
    expect(warn.mock.calls.map(([message]) => String(message))).toEqual([
      expect.stringMatching(/^Could not write mission builder log .*ENOTDIR/),
      'Mission builder attempt observer failed: metrics down',
    ]);
  });
});
