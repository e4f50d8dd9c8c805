import { Type, type Static } from '@sinclair/typebox';
import {
  closedObject,
  compileValidator,
  describeSchemaError,
  responseFormatOf,
  validationSchemaOf,
} from '../llm/structured-output';

/** Easiest first: the rules compare workouts by their place in this list. */
export const WORKOUT_TYPES = [
  'rest',
  'recovery',
  'endurance',
  'tempo',
  'threshold',
  'vo2max',
  'race_simulation',
] as const;
export type WorkoutType = (typeof WORKOUT_TYPES)[number];

/** The longest session a briefing prescribes (10 hours). */
export const MAX_DURATION_MINUTES = 600;

/**
 * The one declaration of a coach recommendation. From it: the TypeScript type (`Recommendation`), the
 * validation of the model's replies (`recommendationProblems`), the strict structured-output schema the
 * model must follow (`RECOMMENDATION_RESPONSE_FORMAT`) and the OpenAPI model (dto/coach-run-response.dto.ts).
 * Descriptions repeat the ranges because the strict variant sent to the model loses the range keywords.
 */
export const RECOMMENDATION = closedObject(
  'CoachRecommendationDto',
  {
    workout_type: Type.Unsafe<WorkoutType>({
      type: 'string',
      enum: [...WORKOUT_TYPES],
      description: `Today's session, easiest first: ${WORKOUT_TYPES.join(', ')}`,
      example: 'endurance',
    }),
    duration_minutes: Type.Integer({
      minimum: 0,
      maximum: MAX_DURATION_MINUTES,
      description: `Minutes of riding, integer 0-${MAX_DURATION_MINUTES}; 0 on a rest day`,
      example: 90,
    }),
    target_zone: Type.Unsafe<number | null>({
      type: 'integer',
      minimum: 1,
      maximum: 7,
      nullable: true,
      description:
        'Main power zone of the session, 1-7 (Coggan levels: 1 recovery ... 7 neuromuscular); null on a rest day',
      example: 2,
    }),
    summary: Type.String({
      minLength: 1,
      maxLength: 500,
      description: 'The session in one or two sentences, as the athlete will read it (at most 500 characters)',
      example: '90 minutes of steady endurance riding in zone 2, with a relaxed cadence around 90 rpm.',
    }),
    rationale: Type.String({
      minLength: 1,
      maxLength: 2000,
      description:
        'Why this session today, from the facts (phase, form, readiness, the week so far); says which rule changed the plan, if any (at most 2000 characters)',
      example: 'Base phase with fresh legs (TSB +4): aerobic volume is what builds the engine now.',
    }),
  },
  "Today's session",
);

export type Recommendation = Static<typeof RECOMMENDATION>;

/** The recommendation as JSON Schema: what replies are validated against. */
export const RECOMMENDATION_SCHEMA = validationSchemaOf(RECOMMENDATION);

export const RECOMMENDATION_RESPONSE_FORMAT = responseFormatOf('coach_recommendation', RECOMMENDATION);

const validateShape = compileValidator<Recommendation>(RECOMMENDATION_SCHEMA);

/** What the shape alone cannot say: a rest day has no minutes and no zone, any other session has both. */
function consistencyProblems(plan: Recommendation): string[] {
  if (plan.workout_type === 'rest') {
    return [
      ...(plan.duration_minutes !== 0 ? ['duration_minutes must be 0 when workout_type is rest'] : []),
      ...(plan.target_zone !== null ? ['target_zone must be null when workout_type is rest'] : []),
    ];
  }
  return [
    ...(plan.duration_minutes < 1 ? [`duration_minutes must be at least 1 for a ${plan.workout_type} session`] : []),
    ...(plan.target_zone === null ? [`target_zone must be a zone from 1 to 7 for a ${plan.workout_type} session`] : []),
  ];
}

/** Human-readable problems of a candidate recommendation (empty when it is valid); unknown fields are removed. */
export function recommendationProblems(candidate: unknown): string[] {
  if (!validateShape(candidate)) {
    return (validateShape.errors ?? []).map((error) => describeSchemaError(error, 'the recommendation'));
  }
  return consistencyProblems(candidate);
}
