import {
  addDays,
  calendarDays,
  canonicalTimeZone,
  daysBetween,
  isCalendarDate,
  isIanaTimeZone,
  todayInTimeZone,
} from './calendar';
describe('isCalendarDate', () => {
  it.each(['0050-06-15', '0001-01-01', '0099-12-31', '0004-02-29', '2024-02-29', '2000-02-29', '9999-12-31'])(
    'accepts %p',
    (value) => {
      expect(isCalendarDate(value)).toBe(true);
    },
  );

  it.each([
    '2023-02-29',
    '1900-02-29',
    '0100-02-29',
    '2025-02-30',
    '2025-04-31',
    '2025-13-01',
    '2025-00-10',
    '2025-01-00',
    '0000-01-01',
    '50-06-15',
    '2025-1-05',
    ' 2025-01-05',
    '2025-01-05T00:00:00Z',
    '',
  ])('refuses %p', (value) => {
    expect(isCalendarDate(value)).toBe(false);
  });

  it('refuses values that are not strings', () => {
    for (const value of [20250105, null, undefined, new Date('2025-01-05'), ['2025-01-05']]) {
      expect(isCalendarDate(value)).toBe(false);
    }
  });

  it('computes with years below 100 without the two-digit year mapping', () => {
    expect(addDays('0050-06-15', 1)).toBe('0050-06-16');
    expect(addDays('0099-12-31', 1)).toBe('0100-01-01');
    expect(daysBetween('0050-06-15', '0050-07-15')).toBe(30);
  });
});

describe('time zones', () => {
  it('accepts IANA names, links and UTC', () => {
    for (const zone of [
      'UTC',
      'Etc/UTC',
      'Europe/Paris',
      'America/Argentina/Buenos_Aires',
      'Asia/Calcutta',
      'Etc/GMT+5',
    ]) {
      expect(isIanaTimeZone(zone)).toBe(true);
    }
  });

  it('fixes the letter case of a zone name but never swaps one name for another', () => {
    expect(canonicalTimeZone('utc')).toBe('UTC');
    expect(canonicalTimeZone('UTC')).toBe('UTC');
    expect(canonicalTimeZone('europe/paris')).toBe('Europe/Paris');
    // Links and names ICU would resolve to another spelling are kept as the athlete wrote them.
    for (const zone of ['Etc/UTC', 'EST', 'Asia/Kolkata', 'Asia/Calcutta', 'US/Eastern', 'GMT', 'Etc/GMT+5']) {
      expect(canonicalTimeZone(zone)).toBe(zone);
    }
    for (const zone of ['Mars/Olympus', '+05:00', 'GMT+5', '', 'x'.repeat(65), 42, null, undefined]) {
      expect(canonicalTimeZone(zone)).toBeUndefined();
    }
  });

  it('refuses unknown names, offsets and non-strings', () => {
    for (const zone of ['Mars/Olympus', '+05:00', 'GMT+5', 'Z', '', 'Europe/Paris ', 'x'.repeat(65), 42, null]) {
      expect(isIanaTimeZone(zone)).toBe(false);
    }
  });

  it('gives the calendar date in the zone', () => {
    const instant = new Date('2030-06-01T12:30:00Z');
    expect(todayInTimeZone('UTC', instant)).toBe('2030-06-01');
    expect(todayInTimeZone('utc', instant)).toBe('2030-06-01');
    expect(todayInTimeZone('Pacific/Kiritimati', instant)).toBe('2030-06-02');
    expect(todayInTimeZone('Pacific/Pago_Pago', new Date('2030-06-01T10:30:00Z'))).toBe('2030-05-31');
  });

  it('throws for an unknown zone', () => {
    expect(() => todayInTimeZone('Mars/Olympus')).toThrow(RangeError);
  });
});

describe('calendarDays', () => {
  it('walks month ends, leap days and year ends like Date arithmetic does', () => {
    for (const start of ['2023-12-25', '2024-02-27', '1899-02-27', '1999-02-27', '2016-01-01']) {
      const days = calendarDays(start, 3660);
      expect(days).toHaveLength(3660);
      days.forEach((date, i) => expect(date).toBe(addDays(start, i)));
    }
    expect(calendarDays('2024-02-28', 3)).toEqual(['2024-02-28', '2024-02-29', '2024-03-01']);
    expect(calendarDays('1900-02-28', 2)).toEqual(['1900-02-28', '1900-03-01']);
    expect(calendarDays('0999-12-31', 2)).toEqual(['0999-12-31', '1000-01-01']);
    expect(calendarDays('2025-01-01', 0)).toEqual([]);
  });
});
