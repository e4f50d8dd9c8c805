import { dayFlags, intensityOf, phaseOf, pointsOf, pointsRulesOf, weekStartOf } from './mission-scoring';

describe('mission scoring rules', () => {
  it('names the phase from the days left to the event', () => {
    expect([43, 42, 22, 21, 8, 7, 1, 0, -1].map((d) => phaseOf(d, false))).toEqual([
      'base',
      'build',
      'build',
      'peak',
      'peak',
      'taper',
      'taper',
      'event',
      'event',
    ]);
    expect(phaseOf(-3, true)).toBe('complete');
  });

  it('grades a day by its highest IF', () => {
    expect(intensityOf(0, null)).toBe('rest');
    expect(intensityOf(1, null)).toBe('easy');
    expect(intensityOf(1, 0.749)).toBe('easy');
    expect(intensityOf(1, 0.75)).toBe('moderate');
    expect(intensityOf(2, 0.85)).toBe('hard');
  });

  it('takes points from the schema, each missing number from the defaults', () => {
    expect(pointsRulesOf({})).toEqual({ dailyBase: 10, multipliers: { easy: 1, moderate: 1.5, hard: 2 } });
    expect(pointsRulesOf({ daily_base: 20, intensity_multipliers: { hard: 3, easy: 'x' } })).toEqual({
      dailyBase: 20,
      multipliers: { easy: 1, moderate: 1.5, hard: 3 },
    });
    expect(pointsRulesOf(null).dailyBase).toBe(10);
  });

  it('flags hard days against the limits, and a flagged hard day scores as easy', () => {
    const limits = { minTsb: -10, minReadiness: 60, maxWeeklyHours: null };
    expect(dayFlags('hard', -11, 50, limits)).toEqual(['hard_day_low_form', 'hard_day_low_readiness']);
    expect(dayFlags('hard', -10, null, limits)).toEqual([]);
    expect(dayFlags('moderate', -30, 10, limits)).toEqual([]);
    const rules = pointsRulesOf({});
    expect(pointsOf('hard', true, rules)).toBe(10);
    expect(pointsOf('hard', false, rules)).toBe(20);
    expect(pointsOf('rest', false, rules)).toBe(0);
  });

  it('starts weeks on Monday', () => {
    expect(weekStartOf('2030-01-07')).toBe('2030-01-07'); // a Monday
    expect(weekStartOf('2030-01-13')).toBe('2030-01-07'); // the Sunday after
    expect(weekStartOf('2030-01-14')).toBe('2030-01-14');
  });
});
