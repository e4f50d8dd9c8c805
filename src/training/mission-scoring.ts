/** Mission progress rules (the contract's "Mission progress"), pure: phases, intensity, points, flags. */

export type Phase = 'base' | 'build' | 'peak' | 'taper' | 'event' | 'complete';
export type Intensity = 'rest' | 'easy' | 'moderate' | 'hard';

/** From the days left to the event's start (`daysToEvent`) and whether its last day has passed. */
export function phaseOf(daysToEvent: number, afterEvent: boolean): Phase {
  if (afterEvent) {
    return 'complete';
  }
  if (daysToEvent <= 0) {
    return 'event';
  }
  if (daysToEvent <= 7) {
    return 'taper';
  }
  if (daysToEvent <= 21) {
    return 'peak';
  }
  return daysToEvent <= 42 ? 'build' : 'base';
}

/** From the day's highest IF: hard at 0.85, moderate at 0.75, easy for any activity, else rest. */
export function intensityOf(activityCount: number, highestIf: number | null): Intensity {
  if (activityCount === 0) {
    return 'rest';
  }
  if (highestIf !== null && highestIf >= 0.85) {
    return 'hard';
  }
  return highestIf !== null && highestIf >= 0.75 ? 'moderate' : 'easy';
}

export interface PointsRules {
  dailyBase: number;
  multipliers: Record<Exclude<Intensity, 'rest'>, number>;
}

const DEFAULT_POINTS: PointsRules = { dailyBase: 10, multipliers: { easy: 1.0, moderate: 1.5, hard: 2.0 } };

const numberOr = (value: unknown, fallback: number): number =>
  typeof value === 'number' && Number.isFinite(value) ? value : fallback;

const objectOr = (value: unknown): Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

/** `daily_base` and `intensity_multipliers` from the mission's points_schema; each missing number takes its default. */
export function pointsRulesOf(pointsSchema: unknown): PointsRules {
  const schema = objectOr(pointsSchema);
  const multipliers = objectOr(schema.intensity_multipliers);
  return {
    dailyBase: numberOr(schema.daily_base, DEFAULT_POINTS.dailyBase),
    multipliers: {
      easy: numberOr(multipliers.easy, DEFAULT_POINTS.multipliers.easy),
      moderate: numberOr(multipliers.moderate, DEFAULT_POINTS.multipliers.moderate),
      hard: numberOr(multipliers.hard, DEFAULT_POINTS.multipliers.hard),
    },
  };
}

export interface Limits {
  minTsb: number | null;
  minReadiness: number | null;
  maxWeeklyHours: number | null;
}

/** The numbers of the mission's `constraints` this scoring uses; anything else (or no number) sets no limit. */
export function limitsOf(constraints: unknown): Limits {
  const c = objectOr(constraints);
  const maybe = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);
  return { minTsb: maybe(c.min_tsb), minReadiness: maybe(c.min_readiness), maxWeeklyHours: maybe(c.max_weekly_hours) };
}

/** A hard day against the plan's limits: its flags; a flagged hard day scores as easy. */
export function dayFlags(intensity: Intensity, tsb: number, readiness: number | null, limits: Limits): string[] {
  if (intensity !== 'hard') {
    return [];
  }
  const flags: string[] = [];
  if (limits.minTsb !== null && tsb < limits.minTsb) {
    flags.push('hard_day_low_form');
  }
  if (limits.minReadiness !== null && readiness !== null && readiness < limits.minReadiness) {
    flags.push('hard_day_low_readiness');
  }
  return flags;
}

/** `daily_base x multiplier` of the intensity it scores as (0 for rest), unrounded. */
export function pointsOf(intensity: Intensity, flagged: boolean, rules: PointsRules): number {
  if (intensity === 'rest') {
    return 0;
  }
  const scoredAs = flagged && intensity === 'hard' ? 'easy' : intensity;
  return rules.dailyBase * rules.multipliers[scoredAs];
}

/** The Monday of a date's week (weeks run Monday to Sunday). */
export function weekStartOf(date: string): string {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  const back = (weekday + 6) % 7;
  return new Date(Date.parse(`${date}T00:00:00Z`) - back * 86_400_000).toISOString().slice(0, 10);
}
