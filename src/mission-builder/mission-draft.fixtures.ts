import { plainToInstance } from 'class-transformer';
import { CreateMissionDraftDto } from './dto/create-mission-draft.dto';
import type { MissionDraft } from './mission-draft.schema';

// Fixtures for the builder's specs and the fake OpenAI server (test/helpers); tsconfig.build.json leaves
// *.fixtures.ts out of the build.

/** A gravel ultra questionnaire (8-12 h a week, FTP 287) for an event on `eventDate`, plus `extra` answers. */
export function gravelQuestionnaire(eventDate: string, extra: Record<string, unknown> = {}): CreateMissionDraftDto {
  return plainToInstance(CreateMissionDraftDto, {
    event_name: 'Unbound Gravel 200',
    event_date: eventDate,
    mission_type: 'gravel_ultra',
    weekly_hours: { min: 8, max: 12 },
    current_ftp: 287,
    ...extra,
  });
}

export interface DraftQuestionnaire {
  event_name: string;
  event_date: string;
  mission_type: string;
  weekly_hours?: { min?: number; max: number };
  notification_preferences?: Partial<MissionDraft['notification_preferences']>;
}

/** A draft that passes the server's validation for this questionnaire (prep starts today or 12 weeks out). */
export function validDraftFor(
  q: DraftQuestionnaire,
  today: string = new Date().toISOString().slice(0, 10),
): MissionDraft {
  const twelveWeeksBefore = new Date(Date.parse(`${q.event_date}T00:00:00Z`) - 84 * 86_400_000)
    .toISOString()
    .slice(0, 10);
  return {
    name: `${q.event_name} Mission`.slice(0, 255),
    mission_type: q.mission_type,
    prep_start: twelveWeeksBefore > today ? twelveWeeksBefore : today,
    event_start: q.event_date,
    event_end: q.event_date,
    points_schema: {
      description: 'Points for every planned session completed, weighted by intensity.',
      daily_base: 20,
      intensity_multipliers: { easy: 1, moderate: 1.5, hard: 2 },
    },
    constraints: { min_readiness: 70, min_tsb: -15, max_weekly_hours: q.weekly_hours?.max ?? 10 },
    notification_preferences: {
      channel: q.notification_preferences?.channel ?? 'app',
      morning_briefing: q.notification_preferences?.morning_briefing ?? true,
      evening_summary: q.notification_preferences?.evening_summary ?? true,
      weekly_review: q.notification_preferences?.weekly_review ?? true,
    },
    notes: 'Base for four weeks, build for six, then a ten-day taper before the event.',
  };
}
