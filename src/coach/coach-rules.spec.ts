import type { CoachFacts } from './coach-facts';
import { applyRules, fallbackPlan, minutesLeftThisWeek, RECOVERY_MAX_MINUTES } from './coach-rules';
import { recommendationProblems, type Recommendation, WORKOUT_TYPES } from './recommendation.schema';

const facts = (overrides: Partial<CoachFacts> = {}): CoachFacts => ({
  date: '2030-03-06',
  phase: 'build',
  daysToEvent: 30,
  ctl: 60,
  atl: 55,
  tsb: 5,
  readiness: 80,
  lastSevenDays: [],
  limits: { minTsb: -12, minReadiness: 70, maxWeeklyHours: 10 },
  weekStart: '2030-03-04',
  minutesThisWeek: 120,
  ...overrides,
});

const plan = (overrides: Partial<Recommendation> = {}): Recommendation => ({
  workout_type: 'vo2max',
  duration_minutes: 90,
  target_zone: 5,
  summary: '5 x 4 minutes in zone 5',
  rationale: 'Fresh legs in the build phase.',
  ...overrides,
});

describe('applyRules', () => {
  it('keeps a plan that breaks no rule, rationale untouched', () => {
    expect(applyRules(plan(), facts())).toEqual({ recommendation: plan(), rulesApplied: [] });
  });

  it('replaces anything harder than recovery by recovery when TSB is below min_tsb, and says why', () => {
    const { recommendation, rulesApplied } = applyRules(plan(), facts({ tsb: -18.3 }));
    expect(recommendation).toMatchObject({
      workout_type: 'recovery',
      target_zone: 1,
      duration_minutes: 60,
      summary: '60 minutes of easy spinning in zone 1: no efforts, just loosen the legs.',
    });
    expect(rulesApplied).toHaveLength(1);
    expect(recommendation.rationale).toBe(
      "Fresh legs in the build phase. Rules applied: Because your form (TSB -18.3) is below this mission's minimum of -12, the planned VO2max session became a recovery ride.",
    );
  });

  it('does the same for readiness below min_readiness, naming both reasons when both hold', () => {
    expect(
      applyRules(plan({ workout_type: 'endurance', target_zone: 2 }), facts({ readiness: 55 })).recommendation,
    ).toMatchObject({ workout_type: 'recovery', target_zone: 1 });
    const both = applyRules(plan(), facts({ readiness: 55, tsb: -20 }));
    expect(both.rulesApplied[0]).toContain('TSB -20');
    expect(both.rulesApplied[0]).toContain('readiness (55)');
  });

  it('keeps a short recovery ride as it is, and rest stays rest, on a low-form day', () => {
    const short = plan({ workout_type: 'recovery', duration_minutes: 30, target_zone: 1 });
    expect(applyRules(short, facts({ tsb: -30 }))).toEqual({ recommendation: short, rulesApplied: [] });
    expect(
      applyRules(plan({ workout_type: 'recovery', duration_minutes: 200, target_zone: 1 }), facts({ tsb: -30 }))
        .recommendation.duration_minutes,
    ).toBe(200);
    const rest = plan({ workout_type: 'rest', duration_minutes: 0, target_zone: null });
    expect(applyRules(rest, facts({ tsb: -30 })).rulesApplied).toEqual([]);
  });

  it('caps a recovery ride with a higher zone at zone 1 on a low-form day', () => {
    const result = applyRules(
      plan({ workout_type: 'recovery', target_zone: 3, duration_minutes: 40 }),
      facts({ readiness: 10 }),
    );
    expect(result.recommendation).toMatchObject({ workout_type: 'recovery', target_zone: 1, duration_minutes: 40 });
    expect(result.rulesApplied).toHaveLength(1);
  });

  it('ignores a missing readiness and constraints that set no limit', () => {
    const none = facts({
      readiness: null,
      limits: { minTsb: null, minReadiness: null, maxWeeklyHours: null },
      tsb: -40,
    });
    expect(applyRules(plan(), none).rulesApplied).toEqual([]);
  });

  it('allows nothing above threshold in taper', () => {
    const tapering = facts({ phase: 'taper', daysToEvent: 4 });
    for (const workout_type of ['vo2max', 'race_simulation'] as const) {
      const { recommendation, rulesApplied } = applyRules(plan({ workout_type, target_zone: 6 }), tapering);
      expect(recommendation).toMatchObject({ workout_type: 'threshold', target_zone: 4, duration_minutes: 90 });
      expect(rulesApplied[0]).toMatch(/^You are tapering \(4 days to the event\): nothing above threshold/);
    }
    const tempo = applyRules(plan({ workout_type: 'tempo', target_zone: 6 }), tapering);
    expect(tempo.recommendation).toMatchObject({ workout_type: 'tempo', target_zone: 4 });
    expect(applyRules(plan({ workout_type: 'threshold', target_zone: 4 }), tapering).rulesApplied).toEqual([]);
  });

  it('does not apply the taper rule in other phases', () => {
    expect(applyRules(plan(), facts({ phase: 'peak' })).recommendation.workout_type).toBe('vo2max');
  });

  it('cuts the minutes to what is left of max_weekly_hours this week', () => {
    const { recommendation, rulesApplied } = applyRules(plan(), facts({ minutesThisWeek: 550 }));
    expect(recommendation.duration_minutes).toBe(50);
    expect(recommendation.workout_type).toBe('vo2max');
    expect(recommendation.summary).toBe('50 minutes with short, hard efforts in zone 5 and easy riding between them.');
    expect(rulesApplied).toEqual([
      'Only 50 minutes are left of your limit of 10 hours a week (550 ridden since Monday), so the 90-minute session was cut to 50 minutes.',
    ]);
    expect(applyRules(plan({ duration_minutes: 50 }), facts({ minutesThisWeek: 550 })).rulesApplied).toEqual([]);
  });

  it('makes the day a rest day when nothing is left this week', () => {
    for (const minutesThisWeek of [600, 725.5]) {
      const { recommendation } = applyRules(plan(), facts({ minutesThisWeek }));
      expect(recommendation).toMatchObject({ workout_type: 'rest', duration_minutes: 0, target_zone: null });
      expect(recommendation.rationale).toContain('today is a rest day');
      expect(recommendationProblems(recommendation)).toEqual([]);
    }
  });

  it('applies every rule that holds, in order, each in the rationale', () => {
    const { recommendation, rulesApplied } = applyRules(
      plan({ duration_minutes: 120 }),
      facts({ phase: 'taper', tsb: -15, minutesThisWeek: 570 }),
    );
    expect(recommendation).toMatchObject({ workout_type: 'recovery', duration_minutes: 30, target_zone: 1 });
    expect(rulesApplied).toHaveLength(2);
    expect(recommendation.rationale.match(/Rules applied:/g)).toHaveLength(1);
  });

  it('floors the minutes left, never negative', () => {
    expect(
      minutesLeftThisWeek(
        facts({ minutesThisWeek: 100.6, limits: { minTsb: null, minReadiness: null, maxWeeklyHours: 1.5 } }),
      ),
    ).toBe(0);
    expect(minutesLeftThisWeek(facts({ minutesThisWeek: 10.6 }))).toBe(589);
    expect(
      minutesLeftThisWeek(facts({ limits: { minTsb: null, minReadiness: null, maxWeeklyHours: null } })),
    ).toBeNull();
  });
});

describe('fallbackPlan', () => {
  it('gives every phase a valid plan that the rules then overrule like any other', () => {
    for (const phase of ['base', 'build', 'peak', 'taper', 'event', 'complete'] as const) {
      const base = fallbackPlan(facts({ phase }));
      expect(recommendationProblems(base)).toEqual([]);
      expect(base.rationale).toMatch(/^The coach model was not available this morning/);
      const ruled = applyRules(base, facts({ phase, tsb: -25 })).recommendation;
      expect(WORKOUT_TYPES.indexOf(ruled.workout_type)).toBeLessThanOrEqual(WORKOUT_TYPES.indexOf('recovery'));
      expect(ruled.duration_minutes).toBeLessThanOrEqual(Math.max(base.duration_minutes, RECOVERY_MAX_MINUTES));
    }
  });
});
