import { Type, type Static } from '@sinclair/typebox';
import { isCalendarDate } from '../common/calendar';
import {
  closedObject,
  compileValidator,
  describeSchemaError,
  responseFormatOf,
  validationSchemaOf,
} from '../llm/structured-output';

/** The channels a mission's notifications may use: the questionnaire and the draft both take them. */
export const NOTIFICATION_CHANNELS = ['app', 'email', 'sms'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

const closed = closedObject;

const date = (description: string, example: string) =>
  Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', format: 'date', description, example });

const multiplier = (example: number) => Type.Number({ exclusiveMinimum: 0, description: 'Number > 0', example });

/**
 * The one declaration of a draft. From it: the TypeScript type (`MissionDraft`), the validation of
 * replies (ajv, `MISSION_DRAFT_SCHEMA`), the schema the model must follow (`MISSION_DRAFT_RESPONSE_FORMAT`)
 * and the OpenAPI schema (`MissionDraftDto`, dto/mission-draft.dto.ts). Descriptions repeat the ranges
 * because the strict variant sent to the model loses the range keywords; `title` and `example` are for
 * the OpenAPI document only.
 */
export const MISSION_DRAFT = closed('MissionDraftDto', {
  name: Type.String({
    minLength: 1,
    maxLength: 255,
    description: 'Mission name, 1-255 characters',
    example: 'Unbound Gravel 200 Mission',
  }),
  mission_type: Type.String({
    minLength: 1,
    maxLength: 100,
    description: "The athlete's mission type",
    example: 'gravel_ultra',
  }),
  prep_start: date('YYYY-MM-DD, first day of preparation, before event_start', '2030-02-11'),
  event_start: date('YYYY-MM-DD, the event date from the questionnaire', '2030-06-01'),
  event_end: date('YYYY-MM-DD, last event day, on or after event_start', '2030-06-01'),
  points_schema: closed('DraftPointsSchemaDto', {
    description: Type.String({
      minLength: 1,
      description: 'How daily points are earned',
      example: 'Points for every planned session completed, weighted by intensity',
    }),
    daily_base: Type.Integer({ minimum: 5, maximum: 50, description: 'Integer 5-50', example: 15 }),
    intensity_multipliers: closed('DraftIntensityMultipliersDto', {
      easy: multiplier(1),
      moderate: multiplier(1.5),
      hard: multiplier(2.5),
    }),
  }),
  constraints: closed('DraftConstraintsDto', {
    min_readiness: Type.Integer({ minimum: 50, maximum: 95, description: 'Integer 50-95', example: 70 }),
    min_tsb: Type.Number({ minimum: -30, maximum: 10, description: 'Number -30 to 10', example: -12 }),
    max_weekly_hours: Type.Number({
      minimum: 1,
      maximum: 40,
      description: 'Number 1-40, at most the questionnaire weekly_hours.max',
      example: 12,
    }),
  }),
  notification_preferences: closed(
    'DraftNotificationPreferencesDto',
    {
      channel: Type.Unsafe<NotificationChannel>({ type: 'string', enum: [...NOTIFICATION_CHANNELS], example: 'app' }),
      morning_briefing: Type.Boolean({ example: true }),
      evening_summary: Type.Boolean({ example: true }),
      weekly_review: Type.Boolean({ example: true }),
    },
    "The questionnaire's preferences, defaults filled in",
  ),
  notes: Type.String({
    minLength: 10,
    description: 'Coaching notes, at least 10 characters',
    example: 'Sixteen weeks: base, build, then a ten-day taper before the event.',
  }),
});

export type MissionDraft = Static<typeof MISSION_DRAFT>;

/** The draft as JSON Schema: what replies are validated against, and what the system prompt shows the model. */
export const MISSION_DRAFT_SCHEMA = validationSchemaOf(MISSION_DRAFT);

export const MISSION_DRAFT_RESPONSE_FORMAT = responseFormatOf('mission_draft', MISSION_DRAFT);

/** The strict-mode variant of the draft schema: same shape, ranges kept only in descriptions. */
export const MISSION_DRAFT_STRICT_SCHEMA = MISSION_DRAFT_RESPONSE_FORMAT.json_schema.schema;

const validateShape = compileValidator<MissionDraft>(MISSION_DRAFT_SCHEMA);

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
    return (validateShape.errors ?? []).map((error) => describeSchemaError(error, 'the draft'));
  }
  return dateProblems(candidate, options.today);
}

export function isMissionDraft(candidate: unknown, options: { today?: string } = {}): candidate is MissionDraft {
  return missionDraftProblems(candidate, options).length === 0;
}
