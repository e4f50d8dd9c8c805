/** IANA time zone names and "today" in a zone, through the runtime's Intl data (no extra library). */

/** Area/Location names (and the few legacy names such as UTC or EST): offsets like `+05:00` are not zones. */
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/;
/** Keyed by canonical name only, so the cache is bounded by the zone database, not by what clients send. */
const formatters = new Map<string, Intl.DateTimeFormat>();

function newFormatter(timeZone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
}

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  const cached = formatters.get(timeZone);
  if (cached) {
    return cached;
  }
  const formatter = newFormatter(timeZone);
  const canonical = formatter.resolvedOptions().timeZone;
  if (!formatters.has(canonical)) {
    formatters.set(canonical, formatter);
  }
  return formatter;
}

/**
 * The spelling to store for a zone the IANA database knows: the runtime's own name when it differs
 * from the input only by letter case (`utc` -> `UTC`, `europe/paris` -> `Europe/Paris`), else the name
 * as sent. ICU resolves some current names to older ones (`Asia/Kolkata` -> `Asia/Calcutta`) and links
 * to their targets (`EST` -> `America/Panama`), so a name the athlete chose is not replaced by another
 * one. Undefined for anything that is not a zone.
 * Intl.supportedValuesOf('timeZone') is not used: it lists canonical names only, so it would leave
 * out `UTC` and valid links such as `Asia/Calcutta`.
 */
export function canonicalTimeZone(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 64 || !ZONE_NAME.test(value)) {
    return undefined;
  }
  try {
    const resolved = formatterFor(value).resolvedOptions().timeZone;
    return resolved.toLowerCase() === value.toLowerCase() ? resolved : value;
  } catch {
    return undefined;
  }
}

/** True for a zone the IANA database knows (`Europe/Paris`, `UTC`, `America/Argentina/Buenos_Aires`), in any letter case. */
export function isIanaTimeZone(value: unknown): value is string {
  return canonicalTimeZone(value) !== undefined;
}

/** The calendar date (`YYYY-MM-DD`) at `now` in the given zone. Throws RangeError for an unknown zone. */
export function todayInTimeZone(timeZone: string, now: Date = new Date()): string {
  const parts = formatterFor(timeZone).formatToParts(now);
  const part = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}
