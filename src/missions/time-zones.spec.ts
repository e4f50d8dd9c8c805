import { canonicalTimeZone, isIanaTimeZone, todayInTimeZone } from './time-zones';

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
