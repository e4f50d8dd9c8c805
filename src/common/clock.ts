let last = 0;

/**
 * Wall-clock time, but strictly increasing within the process (by at least 1 ms), so rows created in
 * the same millisecond still sort in creation order by their timestamp.
 */
export function monotonicNow(): Date {
  last = Math.max(Date.now(), last + 1);
  return new Date(last);
}

/**
 * The time as features that act on the calendar see it (the coach's briefings): injected, so a test
 * module can override the provider with a clock it sets, instead of patching `Date`.
 */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}
