import type { CoachFacts } from './coach-facts';
import { WORKOUT_TYPES, type Recommendation, type WorkoutType } from './recommendation.schema';

/** The rules that overrule the model (the contract's "Daily briefings"), pure: facts in, plan out. */

const rank = (type: WorkoutType): number => WORKOUT_TYPES.indexOf(type);

/** The main zone of each session when the rules prescribe it (Coggan levels). */
export const ZONE_OF: Record<WorkoutType, number | null> = {
  rest: null,
  recovery: 1,
  endurance: 2,
  tempo: 3,
  threshold: 4,
  vo2max: 5,
  race_simulation: 6,
};

/** A recovery ride the rules put in place of a harder session lasts at most this long. */
export const RECOVERY_MAX_MINUTES = 60;

const LABEL: Record<WorkoutType, string> = {
  rest: 'rest day',
  recovery: 'recovery ride',
  endurance: 'endurance ride',
  tempo: 'tempo session',
  threshold: 'threshold session',
  vo2max: 'VO2max session',
  race_simulation: 'race simulation',
};

const signed = (n: number): string => (n > 0 ? `+${n}` : String(n));
const days = (n: number): string => `${n} day${Math.abs(n) === 1 ? '' : 's'}`;

export interface RuledPlan {
  recommendation: Recommendation;
  /** One sentence per rule that changed the plan, in the order applied (empty: the plan stood). */
  rulesApplied: string[];
}

/** Why form or readiness caps the day at recovery, or null when neither does. */
function lowFormReason(facts: CoachFacts): string | null {
  const reasons: string[] = [];
  if (facts.limits.minTsb !== null && facts.tsb < facts.limits.minTsb) {
    reasons.push(
      `your form (TSB ${signed(facts.tsb)}) is below this mission's minimum of ${signed(facts.limits.minTsb)}`,
    );
  }
  if (facts.limits.minReadiness !== null && facts.readiness !== null && facts.readiness < facts.limits.minReadiness) {
    reasons.push(`your readiness (${facts.readiness}) is below this mission's minimum of ${facts.limits.minReadiness}`);
  }
  return reasons.length > 0 ? reasons.join(' and ') : null;
}

/** Minutes left under max_weekly_hours this week (Monday to Sunday), or null without a limit. */
export function minutesLeftThisWeek(facts: CoachFacts): number | null {
  if (facts.limits.maxWeeklyHours === null) {
    return null;
  }
  return Math.max(0, Math.floor(facts.limits.maxWeeklyHours * 60 - facts.minutesThisWeek));
}

const restDay = (plan: Recommendation): Recommendation => ({
  ...plan,
  workout_type: 'rest',
  duration_minutes: 0,
  target_zone: null,
});

/**
 * The plan after the rules, which win over whoever wrote it (the model or the fallback):
 * 1. TSB below `min_tsb` or readiness below `min_readiness`: nothing harder than `recovery` (zone 1, at most
 *    an hour);
 * 2. in `taper`: nothing above `threshold` (zone 4 at most);
 * 3. the minutes never exceed `max_weekly_hours` x 60 minus the minutes already ridden this week, and a week
 *    with nothing left is a rest day.
 * The rationale keeps the writer's reasons and adds one sentence per rule that changed the plan.
 */
export function applyRules(plan: Recommendation, facts: CoachFacts): RuledPlan {
  let result = { ...plan };
  const applied: string[] = [];

  const lowForm = lowFormReason(facts);
  if (lowForm !== null && rank(result.workout_type) > rank('recovery')) {
    const was = result.workout_type;
    result = {
      ...result,
      workout_type: 'recovery',
      target_zone: ZONE_OF.recovery,
      duration_minutes: Math.min(result.duration_minutes, RECOVERY_MAX_MINUTES),
    };
    applied.push(`Because ${lowForm}, the planned ${LABEL[was]} became a recovery ride.`);
  } else if (lowForm !== null && result.target_zone !== null && result.target_zone > 1) {
    result = { ...result, target_zone: 1 };
    applied.push(`Because ${lowForm}, today's ride stays in zone 1.`);
  }

  const thresholdZone = ZONE_OF.threshold ?? 4;
  if (facts.phase === 'taper' && rank(result.workout_type) > rank('threshold')) {
    const was = result.workout_type;
    result = { ...result, workout_type: 'threshold', target_zone: thresholdZone };
    applied.push(
      `You are tapering (${days(facts.daysToEvent)} to the event): nothing above threshold, so the planned ${LABEL[was]} became a threshold session.`,
    );
  } else if (facts.phase === 'taper' && result.target_zone !== null && result.target_zone > thresholdZone) {
    result = { ...result, target_zone: thresholdZone };
    applied.push(`You are tapering (${days(facts.daysToEvent)} to the event): nothing above zone 4 today.`);
  }

  const left = minutesLeftThisWeek(facts);
  if (left !== null && result.workout_type !== 'rest') {
    const limit = `your limit of ${facts.limits.maxWeeklyHours} hours a week`;
    if (left === 0) {
      result = restDay(result);
      applied.push(
        `You have already ridden ${Math.round(facts.minutesThisWeek)} minutes this week, all of ${limit}: today is a rest day.`,
      );
    } else if (result.duration_minutes > left) {
      applied.push(
        `Only ${left} minutes are left of ${limit} (${Math.round(facts.minutesThisWeek)} ridden since Monday), so the ${result.duration_minutes}-minute session was cut to ${left} minutes.`,
      );
      result = { ...result, duration_minutes: left };
    }
  }

  if (applied.length > 0) {
    // The writer's summary described its own session: the athlete reads the one the rules left.
    result.summary = describeSession(result);
    result.rationale = `${plan.rationale.trim()} Rules applied: ${applied.join(' ')}`.slice(0, 2000);
  }
  return { recommendation: result, rulesApplied: applied };
}

/** The summary of a session the rules changed: what to ride, nothing the rules took away. */
export function describeSession(
  plan: Pick<Recommendation, 'workout_type' | 'duration_minutes' | 'target_zone'>,
): string {
  const minutes = plan.duration_minutes;
  const zone = plan.target_zone ?? ZONE_OF[plan.workout_type];
  switch (plan.workout_type) {
    case 'rest':
      return 'Rest day: no riding today. Recovery is part of the training.';
    case 'recovery':
      return `${minutes} minutes of easy spinning in zone ${zone}: no efforts, just loosen the legs.`;
    case 'endurance':
      return `${minutes} minutes of steady endurance riding in zone ${zone}, at a pace you could talk at.`;
    case 'tempo':
      return `${minutes} minutes with steady tempo blocks in zone ${zone}, easy riding around them.`;
    case 'threshold':
      return `${minutes} minutes with a few threshold efforts in zone ${zone}, fully recovered between them.`;
    case 'vo2max':
      return `${minutes} minutes with short, hard efforts in zone ${zone} and easy riding between them.`;
    case 'race_simulation':
      return `${minutes} minutes of race simulation: race-pace efforts in zone ${zone}.`;
  }
}

/** The session each phase asks for when no model is available (before the rules). */
const PHASE_PLAN: Record<CoachFacts['phase'], Pick<Recommendation, 'workout_type' | 'duration_minutes' | 'summary'>> = {
  base: {
    workout_type: 'endurance',
    duration_minutes: 90,
    summary: '90 minutes of steady endurance riding in zone 2: conversational pace, smooth cadence.',
  },
  build: {
    workout_type: 'threshold',
    duration_minutes: 75,
    summary:
      '75 minutes with 3 x 10 minutes at threshold (zone 4), 5 minutes easy between, warm-up and cool-down in zone 2.',
  },
  peak: {
    workout_type: 'vo2max',
    duration_minutes: 60,
    summary: '60 minutes with 5 x 3 minutes hard in zone 5, 3 minutes easy between, warm-up and cool-down in zone 2.',
  },
  taper: {
    workout_type: 'tempo',
    duration_minutes: 45,
    summary: '45 minutes easy with 3 x 3 minutes at tempo (zone 3) to keep the legs awake before the event.',
  },
  event: {
    workout_type: 'recovery',
    duration_minutes: 30,
    summary: 'Event day: ride your event. On a day without racing, at most 30 minutes of easy spinning in zone 1.',
  },
  complete: {
    workout_type: 'rest',
    duration_minutes: 0,
    summary: 'The mission is complete: rest, and enjoy it.',
  },
};

const PHASE_REASON: Record<CoachFacts['phase'], string> = {
  base: 'in the base phase aerobic volume builds the engine',
  build: 'in the build phase sustained threshold work raises the ceiling you will race at',
  peak: 'in the peak phase short, hard efforts sharpen the top end while the volume comes down',
  taper: 'in the taper the legs stay awake while fatigue drains away',
  event: 'the event is on',
  complete: 'the event is behind you',
};

/** The plan from the rules alone (the model failed or is not configured), before `applyRules`. */
export function fallbackPlan(facts: CoachFacts): Recommendation {
  const base = PHASE_PLAN[facts.phase];
  return {
    ...base,
    target_zone: ZONE_OF[base.workout_type],
    rationale: `The coach model was not available this morning, so this plan comes from your mission's rules: ${PHASE_REASON[facts.phase]} (${days(facts.daysToEvent)} to the event, TSB ${signed(facts.tsb)}).`,
  };
}
