import { Transform } from 'class-transformer';
import { registerDecorator, type ValidationArguments, type ValidationOptions } from 'class-validator';

/*
 * Calendar dates and time zones, in one place. Calendar dates are `YYYY-MM-DD` strings, always read and
 * computed in UTC; zones are IANA names checked through the runtime's Intl data. Hand-written because
 * the libraries fall short: class-validator's strict @IsISO8601 refuses the years 0001-0099 (a Date
 * round trip), and @IsTimeZone cannot give the spelling to store (`europe/paris` -> `Europe/Paris`).
 */
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/**
 * True for a well-formed date that exists in the (proleptic Gregorian) calendar: `2025-02-30` and
 * `2023-02-29` are false, `2024-02-29` and `0050-06-15` are true. Pure arithmetic on purpose:
 * `Date.UTC(50, 5, 15)` means 1950, so a Date round trip would refuse every year from 0001 to 0099.
 * Year 0000 is refused (there is none in the calendar the databases store).
 */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string') {
    return false;
  }
  const match = DATE_PATTERN.exec(value);
  if (!match) {
    return false;
  }
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1 || month < 1 || month > 12 || day < 1) {
    return false;
  }
  const lastDay = month === 2 && isLeapYear(year) ? 29 : MONTH_DAYS[month - 1];
  return day <= lastDay;
}

export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/**
 * `count` consecutive dates from `start`, by calendar arithmetic (no Date object or string parsing per
 * day: ten years of days in well under a millisecond).
 */
export function calendarDays(start: string, count: number): string[] {
  const match = DATE_PATTERN.exec(start);
  if (!match) {
    throw new RangeError(`Not a calendar date: ${start}`);
  }
  let [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const dates = new Array<string>(count);
  let prefix = `${String(year).padStart(4, '0')}-${TWO_DIGITS[month]}-`;
  let lastDay = month === 2 && isLeapYear(year) ? 29 : MONTH_DAYS[month - 1];
  for (let i = 0; i < count; i++) {
    dates[i] = prefix + TWO_DIGITS[day];
    if (++day > lastDay) {
      day = 1;
      if (++month > 12) {
        month = 1;
        year++;
      }
      prefix = `${String(year).padStart(4, '0')}-${TWO_DIGITS[month]}-`;
      lastDay = month === 2 && isLeapYear(year) ? 29 : MONTH_DAYS[month - 1];
    }
  }
  return dates;
}

const TWO_DIGITS = Array.from({ length: 32 }, (_, n) => String(n).padStart(2, '0'));

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** The first Monday strictly after `date`. */
export function nextMonday(date: string): string {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return addDays(date, (8 - weekday) % 7 || 7);
}

// Time zones

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
  if (typeof value !== 'string') {
    return undefined;
  }
  const known = canonicalNames.get(value);
  if (known !== undefined) {
    return known;
  }
  if (value.length > 64 || !ZONE_NAME.test(value)) {
    return undefined;
  }
  try {
    const resolved = formatterFor(value).resolvedOptions().timeZone;
    const canonical = resolved.toLowerCase() === value.toLowerCase() ? resolved : value;
    if (canonicalNames.size < MAX_CANONICAL_NAMES) {
      canonicalNames.set(value, canonical);
    }
    return canonical;
  } catch {
    return undefined;
  }
}

/**
 * Zone names already resolved (a mission body is checked twice, by the transform and the validator, and
 * most bodies name the same few zones): resolving asks ICU for a new options object every time. Valid
 * names only, and at most this many, so unknown names sent at random cannot grow it.
 */
const canonicalNames = new Map<string, string>();
const MAX_CANONICAL_NAMES = 1000;

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

// Validators

/** A `YYYY-MM-DD` date that exists in the calendar (`2025-02-30` is refused). */
export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isCalendarDate',
      target: target.constructor,
      propertyName: String(propertyName),
      options,
      validator: {
        validate: (value: unknown) => isCalendarDate(value),
        defaultMessage: (args?: ValidationArguments) => `${args?.property} must be a valid date in the form YYYY-MM-DD`,
      },
    });
  };
}

/**
 * Stores a zone under the runtime's canonical name (`utc` -> `UTC`, `europe/paris` -> `Europe/Paris`):
 * runs while the body is turned into the DTO, before validation; a value that is not a zone is left
 * as sent for @IsIanaTimeZone to refuse.
 */
export function ToCanonicalTimeZone(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => canonicalTimeZone(value) ?? value);
}

/** An IANA time zone name such as `Europe/Paris` or `UTC` (any letter case; links such as `Asia/Calcutta` too). */
export function IsIanaTimeZone(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isIanaTimeZone',
      target: target.constructor,
      propertyName: String(propertyName),
      options,
      validator: {
        validate: (value: unknown) => isIanaTimeZone(value),
        defaultMessage: (args?: ValidationArguments) =>
          `${args?.property} must be an IANA time zone name such as UTC or Europe/Paris`,
      },
    });
  };
}

const hourFormatters = new Map<string, Intl.DateTimeFormat>();

/** The calendar date and the hour (0-23) at `now` in the given zone. Throws RangeError for an unknown zone. */
export function localDateAndHour(timeZone: string, now: Date): { date: string; hour: number } {
  let formatter = hourFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone, hour: '2-digit', hourCycle: 'h23' });
    hourFormatters.set(timeZone, formatter);
  }
  const hour = Number(formatter.formatToParts(now).find((p) => p.type === 'hour')?.value ?? 0);
  return { date: todayInTimeZone(timeZone, now), hour };
}
