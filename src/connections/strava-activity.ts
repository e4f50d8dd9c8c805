import type { ExternalActivity } from '../activities/activity-import.service';
import type { ActivitySport } from '../activities/activity.entity';
import type { Channel } from '../activities/files';

/** The fields of Strava's DetailedActivity (GET /activities/{id}) the import reads. */
export interface StravaActivity {
  id: number;
  name?: string;
  sport_type?: string;
  type?: string;
  start_date: string;
  elapsed_time?: number;
  moving_time?: number;
  distance?: number;
  total_elevation_gain?: number;
  average_watts?: number;
  weighted_average_watts?: number;
  max_watts?: number;
  /** False when the watts are Strava's estimate, not a power meter's: then they are not used. */
  device_watts?: boolean;
  average_heartrate?: number;
  max_heartrate?: number;
  average_cadence?: number;
  manual?: boolean;
}

/** GET /activities/{id}/streams?keys=...&key_by_type=true: one object per stream type. */
export type StravaStreams = Partial<Record<string, { data?: unknown[] }>>;

/** The stream types asked for, and the channel each becomes (`time` is the samples' clock). */
export const STREAM_CHANNELS: Record<string, Channel> = {
  watts: 'power',
  heartrate: 'heart_rate',
  cadence: 'cadence',
  altitude: 'altitude',
  distance: 'distance',
  velocity_smooth: 'speed',
};
export const STREAM_KEYS = ['time', ...Object.keys(STREAM_CHANNELS)];

/** Strava's sport types as the contract's four sports; e-bikes are not the rider's own power: `other`. */
export function sportOf(activity: Pick<StravaActivity, 'sport_type' | 'type'>): ActivitySport {
  const type = activity.sport_type ?? activity.type ?? '';
  if (type === 'VirtualRide') {
    return 'virtual_ride';
  }
  if (['Ride', 'MountainBikeRide', 'GravelRide', 'Handcycle', 'Velomobile'].includes(type)) {
    return 'ride';
  }
  if (['Run', 'TrailRun', 'VirtualRun'].includes(type)) {
    return 'run';
  }
  return 'other';
}

export const externalIdOf = (activityId: string | number): string => `strava:${activityId}`;

const numberOr = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;
const seconds = (value: unknown): number => Math.max(0, Math.round(numberOr(value) ?? 0));

/** Numbers or nulls, or null when the stream is absent or not a list. */
function streamData(streams: StravaStreams | null, key: string): (number | null)[] | null {
  const data = streams?.[key]?.data;
  return Array.isArray(data) ? data.map(numberOr) : null;
}

/** A Strava activity and its streams (null: it has none, typed in by hand) as the activity import takes it. */
export function toExternalActivity(activity: StravaActivity, streams: StravaStreams | null): ExternalActivity {
  const time = streamData(streams, 'time');
  const channels: Partial<Record<Channel, (number | null)[]>> = {};
  for (const [key, channel] of Object.entries(STREAM_CHANNELS)) {
    const data = streamData(streams, key);
    if (data) {
      channels[channel] = data;
    }
  }
  const measuredPower = activity.device_watts === true;
  return {
    externalId: externalIdOf(activity.id),
    source: 'strava',
    name: activity.name ?? '',
    sport: sportOf(activity),
    startTime: new Date(activity.start_date),
    samples: time && time.length > 0 && time.every((t) => t !== null) ? { time, channels } : null,
    summary: {
      elapsedS: seconds(activity.elapsed_time),
      movingS: seconds(activity.moving_time ?? activity.elapsed_time),
      distanceM: numberOr(activity.distance),
      elevationGainM: numberOr(activity.total_elevation_gain),
      avgPower: measuredPower ? numberOr(activity.average_watts) : null,
      maxPower: measuredPower ? numberOr(activity.max_watts) : null,
      normalizedPower: measuredPower ? numberOr(activity.weighted_average_watts) : null,
      avgHr: numberOr(activity.average_heartrate),
      maxHr: numberOr(activity.max_heartrate),
      avgCadence: numberOr(activity.average_cadence),
    },
  };
}
