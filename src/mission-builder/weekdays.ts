export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** `monday`, `MONDAY` -> `Monday`; anything else is returned unchanged for the validator to reject. */
export function canonicalWeekday(value: unknown): unknown {
  if (typeof value !== 'string') {
    return value;
  }
  const lower = value.trim().toLowerCase();
  return WEEKDAYS.find((day) => day.toLowerCase() === lower) ?? value;
}
