let last = 0;

/**
 * Wall-clock time, but strictly increasing within the process (by at least 1 ms), so rows created in
 * the same millisecond still sort in creation order by their timestamp.
 */
export function monotonicNow(): Date {
  last = Math.max(Date.now(), last + 1);
  return new Date(last);
}
