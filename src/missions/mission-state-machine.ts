/**
 * The mission lifecycle in one place: PREP -> TRAINING -> EVENT_ACTIVE -> MISSION_COMPLETE, plus the
 * admin-only TRAINING -> PREP revert. Pure functions: the services do the conditional updates.
 */
export const MISSION_STATES = ['PREP', 'TRAINING', 'EVENT_ACTIVE', 'MISSION_COMPLETE'] as const;
export type MissionState = (typeof MISSION_STATES)[number];

export const INITIAL_MISSION_STATE: MissionState = 'PREP';

export function isMissionState(value: string): value is MissionState {
  return (MISSION_STATES as readonly string[]).includes(value);
}

const FORWARD: Record<MissionState, MissionState | null> = {
  PREP: 'TRAINING',
  TRAINING: 'EVENT_ACTIVE',
  EVENT_ACTIVE: 'MISSION_COMPLETE',
  MISSION_COMPLETE: null,
};

export type TransitionVerdict = { allowed: true } | { allowed: false; reason: string };

/** Whether a user (admin or not) may move a mission from one state to another by hand. */
export function checkTransition(from: MissionState, to: MissionState, actor: { isAdmin: boolean }): TransitionVerdict {
  if (from === to) {
    return { allowed: false, reason: `Mission is already in state ${from}` };
  }
  if (FORWARD[from] === to) {
    return { allowed: true };
  }
  if (from === 'TRAINING' && to === 'PREP') {
    return actor.isAdmin
      ? { allowed: true }
      : { allowed: false, reason: 'Only an admin can move a mission from TRAINING back to PREP' };
  }
  return { allowed: false, reason: `Cannot transition a mission from ${from} to ${to}` };
}

export interface DueTransition {
  from: MissionState;
  to: MissionState;
  reason: string;
}

/**
 * The automatic moves due for a mission, in order, given today's date in its time zone: TRAINING ->
 * EVENT_ACTIVE once the event has started, EVENT_ACTIVE -> MISSION_COMPLETE once it has ended (both in
 * one run when both are due). PREP never moves on its own: leaving it is the athlete's choice.
 */
export function dueTransitions(
  mission: { state: MissionState; eventStartDate: string; eventEndDate: string; timezone: string },
  today: string,
): DueTransition[] {
  const due: DueTransition[] = [];
  let state = mission.state;
  if (state === 'TRAINING' && mission.eventStartDate <= today) {
    const reason = `event_start_date ${mission.eventStartDate} reached (today is ${today} in ${mission.timezone})`;
    due.push({ from: state, to: 'EVENT_ACTIVE', reason });
    state = 'EVENT_ACTIVE';
  }
  if (state === 'EVENT_ACTIVE' && mission.eventEndDate < today) {
    const reason = `event_end_date ${mission.eventEndDate} passed (today is ${today} in ${mission.timezone})`;
    due.push({ from: state, to: 'MISSION_COMPLETE', reason });
  }
  return due;
}
