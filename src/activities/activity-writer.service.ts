import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { In, Repository } from 'typeorm';
import { AthleteService } from '../athlete/athlete.service';
import { todayInTimeZone } from '../common/calendar';
import { monotonicNow } from '../common/clock';
import { zonesOfHistogram } from '../sport-science';
import { scoreOf } from './activity-score';
import { ActivityStreamsRecord } from './activity-streams.entity';
import { Activity } from './activity.entity';
import { DUPLICATE_WINDOW_MS, neighbourKeys } from './duplicates';
import type { ParsedActivity } from './files';
import { STREAMS_ENCODING } from './streams-codec';

/** What the source says of an activity (a file's samples, a manual entry, Strava): everything but its score. */
export type RecordedActivity = Pick<
  Activity,
  | 'name'
  | 'sport'
  | 'source'
  | 'startTime'
  | 'elapsedS'
  | 'movingS'
  | 'distanceM'
  | 'elevationGainM'
  | 'avgPower'
  | 'maxPower'
  | 'normalizedPower'
  | 'avgHr'
  | 'maxHr'
  | 'avgCadence'
  | 'hasPowerStreams'
>;

export interface NewActivity extends RecordedActivity {
  dedupKey: string | null;
  externalId: string | null;
  manualTss: number | null;
  notes: string | null;
}

/** Streams to store with an activity, and its seconds per watt (time in zones for any FTP). */
export interface StreamsToStore {
  data: Buffer;
  powerHistogram: Uint32Array | null;
}

/** The recorded numbers and the streams of a parsed activity (a file, or samples from Strava). */
export function recordedOf(
  parsed: ParsedActivity,
  name: string,
): { recorded: RecordedActivity; streams: StreamsToStore } {
  const { summary, powerHistogram, encodedStreams } = parsed;
  return {
    recorded: {
      name,
      sport: parsed.sport,
      source: parsed.source,
      // A Date of this realm (the parser's comes from a worker thread, through structured cloning).
      startTime: new Date(parsed.startTime.getTime()),
      elapsedS: Math.round(summary.elapsed_s),
      movingS: Math.round(summary.moving_s),
      distanceM: summary.distance_m,
      elevationGainM: summary.elevation_gain_m,
      avgPower: summary.avg_power,
      maxPower: summary.max_power,
      normalizedPower: summary.normalized_power,
      avgHr: summary.avg_hr,
      maxHr: summary.max_hr,
      avgCadence: summary.avg_cadence,
      hasPowerStreams: powerHistogram !== null,
    },
    streams: {
      data: Buffer.from(encodedStreams.buffer, encodedStreams.byteOffset, encodedStreams.byteLength),
      powerHistogram,
    },
  };
}

/**
 * The one way an activity row is written from what its source recorded: its date in the athlete's zone,
 * its score and time in zones from the FTP of that date (activity-score.ts), its streams beside it.
 * Uploads, manual entries and imports all come through here.
 */
@Injectable()
export class ActivityWriter {
  constructor(
    @InjectRepository(Activity) private readonly activities: Repository<Activity>,
    @InjectRepository(ActivityStreamsRecord) private readonly streams: Repository<ActivityStreamsRecord>,
    private readonly athlete: AthleteService,
  ) {}

  /** Same user, same sport, a start within 1 s among recorded activities: the id of the one already there. */
  async duplicateOf(userId: number, sport: string, startTime: Date): Promise<string | null> {
    const candidates = await this.activities.find({
      where: { userId, dedupKey: In(neighbourKeys(sport, startTime)) },
      select: { id: true, startTime: true },
    });
    const duplicate = candidates.find(
      (row) => Math.abs(row.startTime.getTime() - startTime.getTime()) <= DUPLICATE_WINDOW_MS,
    );
    return duplicate?.id ?? null;
  }

  /**
   * Inserts the activity, then its streams (the row is taken back out if they cannot be written).
   * A unique key already taken (dedup or external id) is thrown as the database's error.
   */
  async insert(userId: number, activity: NewActivity, streams: StreamsToStore | null): Promise<Activity> {
    const now = monotonicNow();
    const id = randomUUID();
    await this.activities.insert({
      ...activity,
      ...(await this.scored(userId, activity, streams)),
      id,
      userId,
      createdAt: now,
      updatedAt: now,
    });
    if (streams) {
      try {
        await this.streams.insert({ activityId: id, encoding: STREAMS_ENCODING, data: streams.data });
      } catch (error) {
        await this.activities.delete({ id });
        throw error;
      }
    }
    return this.activities.findOneByOrFail({ id });
  }

  /**
   * A new recording of an existing activity (its source changed it): the recorded numbers, score and
   * streams are replaced; its id, notes and a TSS the athlete set stay.
   */
  async replace(
    existing: Activity,
    recorded: RecordedActivity,
    dedupKey: string | null,
    streams: StreamsToStore | null,
  ): Promise<Activity> {
    const scored = await this.scored(existing.userId, { ...recorded, manualTss: existing.manualTss }, streams);
    await this.activities.update({ id: existing.id }, { ...recorded, ...scored, dedupKey, updatedAt: monotonicNow() });
    await this.streams.delete({ activityId: existing.id });
    if (streams) {
      await this.streams.insert({ activityId: existing.id, encoding: STREAMS_ENCODING, data: streams.data });
    }
    return this.activities.findOneByOrFail({ id: existing.id });
  }

  /** Local date, score and time in zones of recorded numbers, for the athlete's current profile. */
  private async scored(
    userId: number,
    activity: RecordedActivity & { manualTss: number | null },
    streams: StreamsToStore | null,
  ): Promise<Pick<Activity, 'localDate' | 'intensityFactor' | 'tss' | 'tssMethod' | 'ftpUsed' | 'timeInPowerZonesS'>> {
    const athlete = await this.athlete.settingsOf(userId);
    const localDate = todayInTimeZone(athlete.timezone, activity.startTime);
    const score = scoreOf({ ...activity, localDate }, athlete);
    const histogram = streams?.powerHistogram ?? null;
    const timeInPowerZonesS = histogram && score.ftpUsed !== null ? zonesOfHistogram(histogram, score.ftpUsed) : null;
    return { localDate, ...score, timeInPowerZonesS };
  }
}
