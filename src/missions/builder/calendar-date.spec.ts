import { addDays, daysBetween, isCalendarDate } from './calendar-date';

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
