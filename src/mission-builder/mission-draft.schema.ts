import Ajv, { type ErrorObject, type JSONSchemaType } from 'ajv';
import { isCalendarDate } from '../common/calendar';

export type NotificationChannel = 'app' | 'email' | 'sms';

export interface MissionDraft {
  name: string;
  mission_type: string;
  prep_start: string;
  event_start: string;
  event_end: string;
  points_schema: {
    description: string;
    daily_base: number;
    intensity_multipliers: { easy: number; moderate: number; hard: number };
  };
  constraints: { min_readiness: number; min_tsb: number; max_weekly_hours: number };
  notification_preferences: {
    channel: NotificationChannel;
    morning_briefing: boolean;
    evening_summary: boolean;
    weekly_review: boolean;
  };
  notes: string;
}

const DATE = {
  type: 'string',
  pattern: '^\\d{4}-\\d{2}-\\d{2}$',
} as const;

const MULTIPLIER = { type: 'number', exclusiveMinimum: 0 } as const;

/**
 * The one definition of a draft: ajv validates replies with it, and the schema sent to the model
 * (`MISSION_DRAFT_RESPONSE_FORMAT`) is derived from it. Descriptions repeat the ranges because
 * the strict variant sent to the model loses the range keywords.
 */
export const MISSION_DRAFT_SCHEMA: JSONSchemaType<MissionDraft> = {
  type: 'object',
  additionalProperties: false,
  required: [
    'name',
    'mission_type',
    'prep_start',
    'event_start',
    'event_end',
    'points_schema',
    'constraints',
    'notification_preferences',
    'notes',
  ],
  properties: {
    name: {
      type: 'string',
      minLength: 1,
      maxLength: 255,
      description: 'Mission name, 1-255 characters',
    },
    mission_type: {
      type: 'string',
      minLength: 1,
      maxLength: 100,
      description: "The athlete's mission type",
    },
    prep_start: {
      ...DATE,
      description: 'YYYY-MM-DD, first day of preparation, before event_start',
    },
    event_start: { ...DATE, description: 'YYYY-MM-DD, the event date from the questionnaire' },
    event_end: { ...DATE, description: 'YYYY-MM-DD, last event day, on or after event_start' },
    points_schema: {
      type: 'object',
      additionalProperties: false,
      required: ['description', 'daily_base', 'intensity_multipliers'],
      properties: {
        description: { type: 'string', minLength: 1, description: 'How daily points are earned' },
        daily_base: { type: 'integer', minimum: 5, maximum: 50, description: 'Integer 5-50' },
        intensity_multipliers: {
          type: 'object',
          additionalProperties: false,
          required: ['easy', 'moderate', 'hard'],
          properties: {
            easy: { ...MULTIPLIER, description: 'Number > 0' },
            moderate: { ...MULTIPLIER, description: 'Number > 0' },
            hard: { ...MULTIPLIER, description: 'Number > 0' },
          },
        },
      },
    },
    constraints: {
      type: 'object',
      additionalProperties: false,
      required: ['min_readiness', 'min_tsb', 'max_weekly_hours'],
      properties: {
        min_readiness: { type: 'integer', minimum: 50, maximum: 95, description: 'Integer 50-95' },
        min_tsb: { type: 'number', minimum: -30, maximum: 10, description: 'Number -30 to 10' },
        max_weekly_hours: { type: 'number', minimum: 1, maximum: 40, description: 'Number 1-40' },
      },
    },
    notification_preferences: {
      type: 'object',
      additionalProperties: false,
      required: ['channel', 'morning_briefing', 'evening_summary', 'weekly_review'],
      properties: {
        channel: { type: 'string', enum: ['app', 'email', 'sms'] },
        morning_briefing: { type: 'boolean' },
        evening_summary: { type: 'boolean' },
        weekly_review: { type: 'boolean' },
      },
    },
    notes: { type: 'string', minLength: 10, description: 'Coaching notes, at least 10 characters' },
  },
};

/** Keywords that OpenAI strict structured outputs do not accept on every model. */
const NOT_STRICT_SAFE = new Set([
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minLength',
  'maxLength',
  'pattern',
  'format',
]);

function toStrictSchema(node: unknown): unknown {
  if (Array.isArray(node)) {
    return node.map(toStrictSchema);
  }
  if (node === null || typeof node !== 'object') {
    return node;
  }
  const entries = Object.entries(node).filter(([key]) => !NOT_STRICT_SAFE.has(key));
  return Object.fromEntries(entries.map(([key, value]) => [key, toStrictSchema(value)]));
}

/** The strict-mode variant of the draft schema: same shape, ranges kept only in descriptions. */
export const MISSION_DRAFT_STRICT_SCHEMA = toStrictSchema(MISSION_DRAFT_SCHEMA) as Record<string, unknown>;

export const MISSION_DRAFT_RESPONSE_FORMAT = {
  type: 'json_schema',
  json_schema: { name: 'mission_draft', strict: true, schema: MISSION_DRAFT_STRICT_SCHEMA },
} as const;

/** Extra fields in a reply are dropped rather than failing it: they are never stored anyway. */
const validateShape = new Ajv({ allErrors: true, removeAdditional: true }).compile(MISSION_DRAFT_SCHEMA);

function fieldName(error: ErrorObject): string {
  const path = error.instancePath.replace(/^\//, '').replace(/\//g, '.');
  return path === '' ? 'the draft' : path;
}

function describe(error: ErrorObject): string {
  const field = fieldName(error);
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'required') {
    const parent = field === 'the draft' ? '' : `${field}.`;
    return `missing field ${parent}${String(params.missingProperty)}`;
  }
  if (error.keyword === 'enum') {
    return `${field} must be one of ${(params.allowedValues as unknown[]).join(', ')}`;
  }
  return `${field} ${error.message ?? 'is invalid'}`;
}

function dateProblems(draft: MissionDraft, today?: string): string[] {
  const problems: string[] = [];
  for (const key of ['prep_start', 'event_start', 'event_end'] as const) {
    if (!isCalendarDate(draft[key])) {
      problems.push(`${key} must be a real calendar date in the form YYYY-MM-DD`);
    }
  }
  if (problems.length > 0) {
    return problems;
  }
  if (draft.prep_start >= draft.event_start) {
    problems.push(`prep_start (${draft.prep_start}) must be before event_start (${draft.event_start})`);
  }
  if (draft.event_end < draft.event_start) {
    problems.push(`event_end (${draft.event_end}) must not be before event_start (${draft.event_start})`);
  }
  if (today !== undefined && draft.prep_start < today) {
    problems.push(`prep_start (${draft.prep_start}) must not be in the past (today is ${today})`);
  }
  return problems;
}

/**
 * Human-readable problems of a candidate draft (empty when it is valid). The candidate is
 * checked as is, except that fields the schema does not know are removed from it.
 */
export function missionDraftProblems(candidate: unknown, options: { today?: string } = {}): string[] {
  if (!validateShape(candidate)) {
    return (validateShape.errors ?? []).map(describe);
  }
  return dateProblems(candidate, options.today);
}

export function isMissionDraft(candidate: unknown, options: { today?: string } = {}): candidate is MissionDraft {
  return missionDraftProblems(candidate, options).length === 0;
}
