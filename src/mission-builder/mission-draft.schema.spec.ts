import {
  MISSION_DRAFT_RESPONSE_FORMAT,
  MISSION_DRAFT_SCHEMA,
  MISSION_DRAFT_STRICT_SCHEMA,
  isMissionDraft,
  missionDraftProblems,
  type MissionDraft,
} from './mission-draft.schema';

function draft(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const base: MissionDraft = {
    name: 'Unbound Gravel 200 Mission',
    mission_type: 'gravel_ultra',
    prep_start: '2030-02-04',
    event_start: '2030-05-30',
    event_end: '2030-05-30',
    points_schema: {
      description: 'Points for each planned session.',
      daily_base: 20,
      intensity_multipliers: { easy: 1, moderate: 1.5, hard: 2 },
    },
    constraints: { min_readiness: 70, min_tsb: -15, max_weekly_hours: 12 },
    notification_preferences: {
      channel: 'app',
      morning_briefing: true,
      evening_summary: true,
      weekly_review: true,
    },
    notes: 'Base, build, peak, then a ten-day taper.',
  };
  return { ...base, ...overrides };
}

const points = (patch: Record<string, unknown>) => ({
  points_schema: { ...(draft().points_schema as object), ...patch },
});
const multipliers = (patch: Record<string, unknown>) =>
  points({ intensity_multipliers: { easy: 1, moderate: 1.5, hard: 2, ...patch } });
const limits = (patch: Record<string, unknown>) => ({
  constraints: { ...(draft().constraints as object), ...patch },
});

describe('missionDraftProblems', () => {
  it('finds nothing wrong with a valid draft', () => {
    expect(missionDraftProblems(draft())).toEqual([]);
    expect(isMissionDraft(draft())).toBe(true);
  });

  it.each([
    ['daily_base below 5', points({ daily_base: 4 }), 'points_schema.daily_base must be >= 5'],
    ['daily_base above 50', points({ daily_base: 51 }), 'points_schema.daily_base must be <= 50'],
    ['a zero multiplier', multipliers({ easy: 0 }), 'points_schema.intensity_multipliers.easy must be > 0'],
    ['a negative multiplier', multipliers({ hard: -1 }), 'points_schema.intensity_multipliers.hard must be > 0'],
    ['min_readiness below 50', limits({ min_readiness: 49 }), 'constraints.min_readiness must be >= 50'],
    ['min_readiness above 95', limits({ min_readiness: 96 }), 'constraints.min_readiness must be <= 95'],
    ['min_tsb below -30', limits({ min_tsb: -31 }), 'constraints.min_tsb must be >= -30'],
    ['min_tsb above 10', limits({ min_tsb: 11 }), 'constraints.min_tsb must be <= 10'],
    ['max_weekly_hours below 1', limits({ max_weekly_hours: 0 }), 'constraints.max_weekly_hours must be >= 1'],
    ['max_weekly_hours above 40', limits({ max_weekly_hours: 41 }), 'constraints.max_weekly_hours must be <= 40'],
    ['short notes', { notes: 'Too short' }, 'notes must NOT have fewer than 10 characters'],
    ['an empty name', { name: '' }, 'name must NOT have fewer than 1 characters'],
    ['a missing field', { notes: undefined }, 'missing field notes'],
    ['a missing nested field', limits({ min_tsb: undefined }), 'missing field constraints.min_tsb'],
    ['a number as text', points({ daily_base: '20' }), 'points_schema.daily_base must be integer'],
    [
      'an unknown channel',
      {
        notification_preferences: {
          ...(draft().notification_preferences as object),
          channel: 'fax',
        },
      },
      'notification_preferences.channel must be one of app, email, sms',
    ],
    ['a malformed date', { prep_start: '4 Feb 2030' }, 'prep_start must match pattern "^\\d{4}-\\d{2}-\\d{2}$"'],
    [
      'an impossible date',
      { event_end: '2030-02-30' },
      'event_end must be a real calendar date in the form YYYY-MM-DD',
    ],
    [
      'prep_start on event_start',
      { prep_start: '2030-05-30' },
      'prep_start (2030-05-30) must be before event_start (2030-05-30)',
    ],
    [
      'event_end before event_start',
      { event_end: '2030-05-29' },
      'event_end (2030-05-29) must not be before event_start (2030-05-30)',
    ],
  ])('reports %s', (_name, overrides, problem) => {
    const candidate = JSON.parse(JSON.stringify(draft(overrides))) as unknown;
    expect(missionDraftProblems(candidate)).toEqual([problem]);
  });

  it('reports every problem at once', () => {
    const problems = missionDraftProblems(draft({ notes: 'short', ...limits({ min_tsb: 99 }) }));
    expect(problems).toHaveLength(2);
  });

  it('refuses a prep_start in the past when today is given', () => {
    expect(missionDraftProblems(draft(), { today: '2030-02-05' })).toEqual([
      'prep_start (2030-02-04) must not be in the past (today is 2030-02-05)',
    ]);
    expect(missionDraftProblems(draft(), { today: '2030-02-04' })).toEqual([]);
  });

  it('accepts a one-day event and drops fields it does not know', () => {
    const candidate = draft({ extra: 'ignored', ...limits({ spare: 1 }) });
    expect(missionDraftProblems(candidate)).toEqual([]);
    expect(candidate).not.toHaveProperty('extra');
    expect(candidate.constraints).not.toHaveProperty('spare');
  });

  it.each([null, [], 'text', 42])('refuses %p as a draft', (candidate) => {
    expect(missionDraftProblems(candidate)).toEqual(['the draft must be object']);
  });
});

describe('the strict schema sent to the model', () => {
  type Node = Record<string, unknown>;
  const objects = (node: Node): Node[] => [
    ...(node.type === 'object' ? [node] : []),
    ...Object.values((node.properties ?? {}) as Record<string, Node>).flatMap(objects),
  ];

  it('is derived from the validation schema with every object closed and fully required', () => {
    const found = objects(MISSION_DRAFT_STRICT_SCHEMA);
    expect(found).toHaveLength(5);
    for (const node of found) {
      expect(node.additionalProperties).toBe(false);
      expect(node.required).toEqual(Object.keys(node.properties as object));
    }
    expect(Object.keys(MISSION_DRAFT_STRICT_SCHEMA.properties as object)).toEqual(
      Object.keys(MISSION_DRAFT_SCHEMA.properties as object),
    );
  });

  it('keeps no range keyword and keeps the ranges in descriptions', () => {
    const text = JSON.stringify(MISSION_DRAFT_STRICT_SCHEMA);
    expect(text).not.toMatch(/"(minimum|maximum|exclusiveMinimum|minLength|maxLength|pattern)"/);
    expect(text).toContain('Integer 5-50');
    expect(JSON.stringify(MISSION_DRAFT_SCHEMA)).toContain('"minimum":5');
  });

  it('is wrapped as a strict json_schema response format', () => {
    expect(MISSION_DRAFT_RESPONSE_FORMAT).toEqual({
      type: 'json_schema',
      json_schema: { name: 'mission_draft', strict: true, schema: MISSION_DRAFT_STRICT_SCHEMA },
    });
  });
});
