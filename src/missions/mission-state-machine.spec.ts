import {
  checkTransition,
  dueTransitions,
  isMissionState,
  MISSION_STATES,
  type MissionState,
} from './mission-state-machine';

const user = { isAdmin: false };
const admin = { isAdmin: true };

describe('mission state machine', () => {
  it('knows exactly the four states', () => {
    expect(MISSION_STATES).toEqual(['PREP', 'TRAINING', 'EVENT_ACTIVE', 'MISSION_COMPLETE']);
    expect(isMissionState('TRAINING')).toBe(true);
    expect(isMissionState('training')).toBe(false);
    expect(isMissionState('DONE')).toBe(false);
  });

  it.each([
    ['PREP', 'TRAINING'],
    ['TRAINING', 'EVENT_ACTIVE'],
    ['EVENT_ACTIVE', 'MISSION_COMPLETE'],
  ] as [MissionState, MissionState][])('lets anyone move forward from %s to %s', (from, to) => {
    expect(checkTransition(from, to, user)).toEqual({ allowed: true });
    expect(checkTransition(from, to, admin)).toEqual({ allowed: true });
  });

  it('lets only admins revert TRAINING to PREP', () => {
    expect(checkTransition('TRAINING', 'PREP', admin)).toEqual({ allowed: true });
    expect(checkTransition('TRAINING', 'PREP', user)).toEqual({
      allowed: false,
      reason: expect.stringContaining('admin'),
    });
  });

  it('refuses the same state with a message naming it', () => {
    for (const state of MISSION_STATES) {
      expect(checkTransition(state, state, admin)).toEqual({
        allowed: false,
        reason: `Mission is already in state ${state}`,
      });
    }
  });

  it('refuses skips and every other backward move, admins included', () => {
    const illegal: [MissionState, MissionState][] = [
      ['PREP', 'EVENT_ACTIVE'],
      ['PREP', 'MISSION_COMPLETE'],
      ['TRAINING', 'MISSION_COMPLETE'],
      ['EVENT_ACTIVE', 'TRAINING'],
      ['EVENT_ACTIVE', 'PREP'],
      ['MISSION_COMPLETE', 'EVENT_ACTIVE'],
      ['MISSION_COMPLETE', 'TRAINING'],
      ['MISSION_COMPLETE', 'PREP'],
    ];
    for (const [from, to] of illegal) {
      expect(checkTransition(from, to, admin)).toEqual({
        allowed: false,
        reason: `Cannot transition a mission from ${from} to ${to}`,
      });
    }
  });
});

describe('due transitions', () => {
  const mission = (state: MissionState, eventStartDate: string, eventEndDate: string) => ({
    state,
    eventStartDate,
    eventEndDate,
    timezone: 'Europe/Paris',
  });

  it('starts the event on its first day, not before', () => {
    expect(dueTransitions(mission('TRAINING', '2030-06-01', '2030-06-03'), '2030-05-31')).toEqual([]);
    expect(dueTransitions(mission('TRAINING', '2030-06-01', '2030-06-03'), '2030-06-01')).toEqual([
      {
        from: 'TRAINING',
        to: 'EVENT_ACTIVE',
        reason: 'event_start_date 2030-06-01 reached (today is 2030-06-01 in Europe/Paris)',
      },
    ]);
  });

  it('completes the mission the day after the event ends, not on its last day', () => {
    expect(dueTransitions(mission('EVENT_ACTIVE', '2030-06-01', '2030-06-03'), '2030-06-03')).toEqual([]);
    expect(dueTransitions(mission('EVENT_ACTIVE', '2030-06-01', '2030-06-03'), '2030-06-04')).toEqual([
      {
        from: 'EVENT_ACTIVE',
        to: 'MISSION_COMPLETE',
        reason: 'event_end_date 2030-06-03 passed (today is 2030-06-04 in Europe/Paris)',
      },
    ]);
  });

  it('moves a mission two steps when both are due', () => {
    const steps = dueTransitions(mission('TRAINING', '2030-06-01', '2030-06-01'), '2030-06-02');
    expect(steps.map((s) => [s.from, s.to])).toEqual([
      ['TRAINING', 'EVENT_ACTIVE'],
      ['EVENT_ACTIVE', 'MISSION_COMPLETE'],
    ]);
  });

  it('never moves PREP or MISSION_COMPLETE missions', () => {
    expect(dueTransitions(mission('PREP', '2020-01-01', '2020-01-02'), '2030-01-01')).toEqual([]);
    expect(dueTransitions(mission('MISSION_COMPLETE', '2020-01-01', '2020-01-02'), '2030-01-01')).toEqual([]);
  });
});
