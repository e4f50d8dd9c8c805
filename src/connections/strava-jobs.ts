// The Strava jobs: names, data, and keys (a job with the same key is added once while pending).
import type { JobOptions } from '../jobs/job-queue';

export const STRAVA_BACKFILL = 'strava-backfill';
export const STRAVA_IMPORT = 'strava-import';
export const STRAVA_EVENT = 'strava-event';

export interface BackfillData {
  connectionId: string;
}
export interface ImportData {
  athleteId: string;
  activityId: string;
}
export interface EventData {
  eventId: string;
}

interface JobRequest<T> {
  name: string;
  data: T;
  options: JobOptions;
}

export const backfillJob = (connectionId: string): JobRequest<BackfillData> => ({
  name: STRAVA_BACKFILL,
  data: { connectionId },
  options: { key: `${STRAVA_BACKFILL}:${connectionId}` },
});

/** Keyed by athlete and activity: the backfill and the webhook queue the same job, which runs once. */
export const importJob = (athleteId: string, activityId: string): JobRequest<ImportData> => ({
  name: STRAVA_IMPORT,
  data: { athleteId, activityId },
  options: { key: `${STRAVA_IMPORT}:${athleteId}:${activityId}` },
});

export const eventJob = (eventId: string): JobRequest<EventData> => ({
  name: STRAVA_EVENT,
  data: { eventId },
  options: { key: `${STRAVA_EVENT}:${eventId}` },
});
