import { judgeReply } from './draft-judge';
import { extractJsonObject, parseJsonReply } from '../llm/json-reply';
import { gravelQuestionnaire, validDraftFor } from './mission-draft.fixtures';
import { applyUserFacts } from './user-facts';

const TODAY = '2030-01-01';
const q = gravelQuestionnaire('2030-05-30', {
  notification_preferences: { channel: 'email', weekly_review: false },
});
const valid = validDraftFor(q, TODAY);

describe('parseJsonReply', () => {
  it('reads a bare JSON object', () => {
    expect(parseJsonReply('{"a": 1}')).toEqual({ ok: true, value: { a: 1 } });
  });

  it('finds the object inside prose and markdown fences', () => {
    const reply = 'Sure! Here is the plan:\n```json\n{"a": {"b": "}{"}, "c": [1]}\n```\nGood luck {not json}';
    expect(parseJsonReply(reply)).toEqual({ ok: true, value: { a: { b: '}{' }, c: [1] } });
  });

  it('skips a brace group that is not JSON and takes the next object', () => {
    expect(extractJsonObject('Plan {for you}: {"a": 2}')).toEqual({ a: 2 });
  });

  it.each(['', '   ', null, 'no json here', '{"a": 1', '[1, 2]', '{broken: yes}'])('refuses %p', (reply) => {
    expect(parseJsonReply(reply).ok).toBe(false);
  });
});

describe('applyUserFacts', () => {
  it('lets the questionnaire win over the model', () => {
    const fromModel = {
      ...valid,
      event_start: '2030-06-15',
      event_end: '2030-05-01',
      mission_type: 'road_century',
      notification_preferences: { channel: 'sms', morning_briefing: false },
      constraints: { ...valid.constraints, max_weekly_hours: 30 },
    };
    expect(applyUserFacts(fromModel, q)).toMatchObject({
      event_start: '2030-05-30',
      event_end: '2030-05-30',
      mission_type: 'gravel_ultra',
      notification_preferences: {
        channel: 'email',
        morning_briefing: true,
        evening_summary: true,
        weekly_review: false,
      },
      constraints: { max_weekly_hours: 12 },
    });
  });

  it('keeps a lower weekly cap and a later event end', () => {
    const fromModel = {
      ...valid,
      event_end: '2030-06-01',
      constraints: { ...valid.constraints, max_weekly_hours: 9 },
    };
    expect(applyUserFacts(fromModel, q)).toMatchObject({
      event_end: '2030-06-01',
      constraints: { max_weekly_hours: 9 },
    });
  });

  it('returns anything that is not an object unchanged', () => {
    expect(applyUserFacts([1], q)).toEqual([1]);
  });
});

describe('judgeReply', () => {
  it('accepts a valid draft', () => {
    expect(judgeReply(JSON.stringify(valid), q, TODAY)).toEqual({
      outcome: 'success',
      draft: valid,
    });
  });

  it("applies the athlete's facts before validating", () => {
    const reply = JSON.stringify({ ...valid, event_start: '2030-07-01', mission_type: 'crit' });
    expect(judgeReply(reply, q, TODAY)).toEqual({ outcome: 'success', draft: valid });
  });

  it('calls unparsable text invalid_json', () => {
    expect(judgeReply('I cannot help with that', q, TODAY).outcome).toBe('invalid_json');
  });

  it('calls a draft that breaks the schema invalid_draft and names the problem', () => {
    const verdict = judgeReply(JSON.stringify({ ...valid, notes: 'short' }), q, TODAY);
    expect(verdict).toEqual({
      outcome: 'invalid_draft',
      problems: ['notes must NOT have fewer than 10 characters'],
    });
  });

  it('refuses a prep_start in the past', () => {
    const verdict = judgeReply(JSON.stringify({ ...valid, prep_start: '2029-12-31' }), q, TODAY);
    expect(verdict.outcome).toBe('invalid_draft');
  });
});
