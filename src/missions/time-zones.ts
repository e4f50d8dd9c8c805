/** IANA time zone names and "today" in a zone, through the runtime's Intl data (no extra library). */

/** Area/Location names (and the few legacy names such as UTC or EST): offsets like `+05:00` are not zones. */
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/**
 * True for a zone the IANA database knows (`Europe/Paris`, `UTC`, `America/Argentina/Buenos_Aires`).
 * Intl.supportedValuesOf('timeZone') is not used: it lists canonical names only, so it leaves out
 * `UTC` and valid links such as `Asia/Calcutta`.
 */
export function isIanaTimeZone(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > 64 || !ZONE_NAME.test(value)) {
    return false;
  }
  try {
    formatterFor(value);
    return true;
  } catch {
    return false;
  }
}

/** The calendar date (`YYYY-MM-DD`) at `now` in the given zone. Throws RangeError for an unknown zone. */
export function todayInTimeZone(timeZone: string, now: Date = new Date()): string {
  const parts = formatterFor(timeZone).formatToParts(now);
  const part = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}
