import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gravelQuestionnaire, validDraftFor } from '../../src/mission-builder/mission-draft.fixtures';
import { addDays, todayUtc } from '../../src/common/calendar';
import { LlmDraftClient } from '../../src/mission-builder/llm-draft.client';
import { fakeServerClient, useFakeOpenAi } from '../helpers/llm-draft';
import { LLM_OUTCOMES } from '../../src/llm/llm-settings';

const TODAY = todayUtc();
const FTP = 287;
const CONSTRAINTS = 'Left knee surgery in March; no rides before 6am "ever"';
const DAYS = ['Monday', 'Thursday', 'Saturday'];
const API_KEY = 'sk-logtest-abcdefghijklmnop';
/** The questionnaire with sensitive answers (FTP, training days, constraints) the logs must not show. */
const sensitiveQuestionnaire = (ftp: number) =>
  gravelQuestionnaire(addDays(TODAY, 120), {
    current_ftp: ftp,
    preferred_training_days: DAYS,
    constraints: CONSTRAINTS,
  });
const q = sensitiveQuestionnaire(FTP);
/** What a careless model might write back: every sensitive value, in several spellings. */
const ECHO =
  `Unbound Gravel 200 plan for FTP ${FTP}W: ride Mondays, Thu and saturday. ` +
  `${CONSTRAINTS.toLowerCase()} - noted: left knee surgery in March.`;

type LogFile = { name: string; record: Record<string, unknown>; text: string };

const fake = useFakeOpenAi();
let logDir: string;

function readLogs(): LogFile[] {
  const dir = join(logDir, 'mission_builder');
  return readdirSync(dir)
    .sort()
    .map((name) => {
      const record = JSON.parse(readFileSync(join(dir, name), 'utf8')) as Record<string, unknown>;
      // Clock values are the server's own, not user data, and may hold any digits.
      const rest: Record<string, unknown> = { ...record };
      delete rest.timestamp;
      delete rest.duration_ms;
      return { name, record, text: JSON.stringify(rest) };
    });
}

function client(apiKey: string | undefined): LlmDraftClient {
  return fakeServerClient(fake, { apiKey, logDir });
}

beforeEach(() => {
  logDir = mkdtempSync(join(tmpdir(), 'llm-logs-'));
});

describe('mission builder attempt logs', () => {
  it('writes one redacted file per attempt, prompt and reply included', async () => {
    fake.enqueue({ kind: 'text', content: ECHO }, { kind: 'json', body: { ...validDraftFor(q, TODAY), notes: ECHO } });
    const { draft } = await client(API_KEY).generateDraft(q, TODAY);
    expect(draft.notes).toBe(ECHO);

    const logs = readLogs();
    expect(logs.map((log) => log.record.outcome)).toEqual(['invalid_json', 'success']);
    logs.forEach(({ name, record }, index) => {
      expect(name).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z_[0-9a-f]{8}_attempt[12]\.json$/);
      expect(record.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(record).toMatchObject({
        model: 'gpt-4o-mini',
        attempt: index + 1,
        temperature: [0.7, 0][index],
        prompt_tokens: 120,
        completion_tokens: 80,
        error: null,
        questionnaire: {
          event_name: 'Unbound ... 200',
          current_ftp: '[REDACTED]',
          constraints: '[REDACTED]',
          preferred_training_days: '[REDACTED]',
        },
      });
      expect(record.reply).toContain('Unbound ... 200 plan for FTP [REDACTED]W');
    });
    const messages = logs[1].record.messages as Array<{ role: string; content: string }>;
    expect(messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(messages[1].content).toContain('<<<QUESTIONNAIRE_JSON');
    expect(messages[1].content).toContain('"current_ftp": "[REDACTED]"');
  });

  it('keeps the questionnaire block of the logged prompt valid JSON, the FTP a quoted "[REDACTED]"', async () => {
    const q250 = sensitiveQuestionnaire(250);
    fake.enqueue({ kind: 'json', body: validDraftFor(q250, TODAY) });
    await client(API_KEY).generateDraft(q250, TODAY);

    const [log] = readLogs();
    const messages = log.record.messages as Array<{ role: string; content: string }>;
    const user = messages.find((m) => m.role === 'user')?.content ?? '';
    const block = /<<<QUESTIONNAIRE_JSON\n([\s\S]*?)\nQUESTIONNAIRE_JSON>>>/.exec(user)?.[1];
    expect(block).toBeDefined();
    const questionnaire = JSON.parse(block ?? '') as Record<string, unknown>;
    expect(questionnaire.current_ftp).toBe('[REDACTED]');
    expect(questionnaire).toMatchObject({
      event_name: 'Unbound ... 200',
      weekly_hours: { min: 8, max: 12 },
      preferred_training_days: ['[REDACTED]', '[REDACTED]', '[REDACTED]'],
      constraints: '[REDACTED]',
    });
    expect(block).not.toContain('250');
    expect(user).not.toContain('250');
    expect(log.text).not.toMatch(/(?<!\d)250(?!\d)/);
  });

  it('logs a call refused for json_schema as its own upstream_error attempt, then the json_object ones', async () => {
    fake.enqueue(
      {
        kind: 'status',
        status: 400,
        body: { error: { message: "'response_format' of type 'json_schema' is not supported" } },
      },
      { kind: 'text', content: 'not json' },
      { kind: 'json', body: validDraftFor(q, TODAY) },
    );
    const outcomes: string[] = [];
    const llm = fakeServerClient(fake, {
      apiKey: API_KEY,
      logDir,
      onAttempt: (outcome) => outcomes.push(outcome),
    });
    const result = await llm.generateDraft(q, TODAY);
    expect(result).toMatchObject({ promptTokens: 240, completionTokens: 160 });

    const logs = readLogs();
    expect(outcomes).toEqual(['upstream_error', 'invalid_json', 'success']);
    expect(logs.map(({ record }) => record.outcome)).toEqual(outcomes);
    expect(logs.map(({ record }) => record.attempt)).toEqual([1, 2, 3]);
    expect(logs.map(({ record }) => record.response_format)).toEqual(['json_schema', 'json_object', 'json_object']);
    expect(logs.map(({ record }) => record.temperature)).toEqual([0.7, 0.7, 0]);
    expect(logs[0].record).toMatchObject({
      error: 'response_format json_schema unsupported; falling back to json_object',
      reply: null,
      prompt_tokens: 0,
      completion_tokens: 0,
    });
    const keys = new Set(logs.map(({ name }) => name.split('_')[1]));
    expect(keys.size).toBe(1);
    expect(logs.map(({ name }) => name.replace(/^.*_(attempt\d+)\.json$/, '$1'))).toEqual([
      'attempt1',
      'attempt2',
      'attempt3',
    ]);
  });

  it('proves that the FTP, the constraints and the training days appear in no log file', async () => {
    fake.enqueue(
      { kind: 'text', content: ECHO },
      { kind: 'json', body: { ...validDraftFor(q, TODAY), notes: ECHO } },
      { kind: 'status', status: 500, body: { error: { message: `boom ${API_KEY} ${ECHO}` } } },
    );
    await client(API_KEY).generateDraft(q, TODAY);
    await expect(client(API_KEY).generateDraft(q, TODAY)).rejects.toThrow(/LLM service unavailable/);
    await expect(client(undefined).generateDraft(q, TODAY)).rejects.toThrow(/not configured/);

    const logs = readLogs();
    expect(logs.map((log) => log.record.outcome).sort()).toEqual(
      ['invalid_json', 'not_configured', 'success', 'upstream_error'].sort(),
    );
    for (const { record, text } of logs) {
      expect(LLM_OUTCOMES).toContain(record.outcome);
      expect(text).not.toContain(String(FTP));
      expect(text.toLowerCase()).not.toContain('knee surgery');
      expect(text.toLowerCase()).not.toContain('before 6am');
      expect(text).not.toMatch(/monday|thursday|saturday|\bthu\b/i);
      expect(text).not.toContain('Unbound Gravel 200');
      expect(text).not.toContain(API_KEY);
      expect(text).not.toContain('logtest');
    }
    const failed = logs.find((log) => log.record.outcome === 'upstream_error');
    expect(failed?.record.error).toMatch(/500/);
  });
});
