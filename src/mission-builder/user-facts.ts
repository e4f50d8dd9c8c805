import type { CreateMissionDraftDto } from './dto/create-mission-draft.dto';
import { resolveNotificationPreferences } from './dto/notification-preferences.dto';

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Facts the athlete gave win over the model: the event date, the mission type, the notification
 * preferences and the weekly hours cap. Returns a new candidate; anything not an object is
 * returned as is for validation to reject.
 */
export function applyUserFacts(candidate: unknown, q: CreateMissionDraftDto): unknown {
  if (!isRecord(candidate)) {
    return candidate;
  }
  const draft: Record<string, unknown> = {
    ...candidate,
    event_start: q.event_date,
    mission_type: q.mission_type,
    notification_preferences: resolveNotificationPreferences(q.notification_preferences),
  };
  if (isRecord(draft.constraints) && typeof draft.constraints.max_weekly_hours === 'number') {
    draft.constraints = {
      ...draft.constraints,
      max_weekly_hours: Math.min(draft.constraints.max_weekly_hours, q.weekly_hours.max),
    };
  }
  if (
    typeof draft.event_end === 'string' &&
    /^\d{4}-\d{2}-\d{2}$/.test(draft.event_end) &&
    draft.event_end < q.event_date
  ) {
    draft.event_end = q.event_date;
  }
  return draft;
}
