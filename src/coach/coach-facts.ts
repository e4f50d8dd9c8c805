import type { Limits, Phase } from '../training/mission-scoring';

/** What the coach knows about a mission on one date: computed by the training services, never by the model. */
export interface CoachFacts {
  date: string;
  phase: Phase;
  /** `event_start_date` minus the date (0 on the first event day, negative after). */
  daysToEvent: number;
  /** The day's load as GET /training/load shows it (rounded to 0.1): TSB is the form going into the day. */
  ctl: number;
  atl: number;
  tsb: number;
  /** The day's wellness readiness, null when none was recorded. */
  readiness: number | null;
  /** The seven days before the date, oldest first, TSS rounded to 0.1. */
  lastSevenDays: Array<{ date: string; tss: number }>;
  /** The mission's numeric constraints (min_tsb, min_readiness, max_weekly_hours); null: no limit. */
  limits: Limits;
  /** Monday of the date's week, and the minutes ridden from then to the date (inclusive). */
  weekStart: string;
  minutesThisWeek: number;
}
