const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** The calendar date `days` days from today in UTC (negative: in the past). */
export function utcDate(days = 0): string {
  return new Date(Date.now() + days * DAY_MS).toISOString().slice(0, 10);
}

/** The calendar date `days` days from today at a fixed UTC offset (zones without daylight saving time). */
export function dateAtOffset(offsetHours: number, days = 0): string {
  return new Date(Date.now() + offsetHours * HOUR_MS + days * DAY_MS).toISOString().slice(0, 10);
}
