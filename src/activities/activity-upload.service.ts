import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { In, Repository } from 'typeorm';
import { AthleteService } from '../athlete/athlete.service';
import { noteForAudit } from '../audit/audit-notes';
import { monotonicNow } from '../common/clock';
import { unprocessable } from '../common/validation';
import { AppConfig } from '../config/app-config';
import { todayInTimeZone } from '../common/calendar';
import { zonesOfHistogram } from '../sport-science';
import type { User } from '../users/user.entity';
import { isUniqueViolation } from '../database/database-errors';
import { ActivitiesService } from './activities.service';
import { scoreOf } from './activity-score';
import { ActivityStreamsRecord } from './activity-streams.entity';
import { Activity } from './activity.entity';
import { dedupKeyOf, DUPLICATE_WINDOW_MS, neighbourKeys } from './duplicates';
import { ActivityFileError, parseActivityFile, type ParsedActivity } from './files';
import { STREAMS_ENCODING } from './streams-codec';
import { apiError } from '../common/error-codes';

/** A file's way to an activity: parse (off the event loop), refuse duplicates, score, store with its streams. */
@Injectable()
export class ActivityUploadService {
  constructor(
    @InjectRepository(Activity) private readonly activities: Repository<Activity>,
    @InjectRepository(ActivityStreamsRecord) private readonly streams: Repository<ActivityStreamsRecord>,
    private readonly athlete: AthleteService,
    private readonly activityRows: ActivitiesService,
    private readonly config: AppConfig,
  ) {}

  async upload(user: User, file: Buffer, name: string | undefined): Promise<Activity> {
    const parsed = await this.parse(file);
    // A Date of this realm (the parser's comes from a worker thread, through structured cloning).
    const startTime = new Date(parsed.startTime.getTime());
    noteForAudit({ details: `format=${parsed.source} bytes=${file.length}` });
    const athlete = await this.athlete.settingsOf(user.id);
    const dedupKey = dedupKeyOf(parsed.sport, startTime);
    await this.refuseDuplicate(user.id, parsed.sport, startTime);

    const { summary, powerHistogram } = parsed;
    const localDate = todayInTimeZone(athlete.timezone, startTime);
    const now = monotonicNow();
    const fields = {
      id: randomUUID(),
      userId: user.id,
      name: name ?? parsed.name ?? defaultName(parsed.sport),
      sport: parsed.sport,
      source: parsed.source,
      startTime,
      localDate,
      dedupKey,
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
      manualTss: null,
      hasPowerStreams: powerHistogram !== null,
      notes: null,
      createdAt: now,
      updatedAt: now,
    };
    const score = scoreOf(fields, athlete);
    const timeInPowerZonesS =
      powerHistogram && score.ftpUsed !== null ? zonesOfHistogram(powerHistogram, score.ftpUsed) : null;
    const data = Buffer.from(
      parsed.encodedStreams.buffer,
      parsed.encodedStreams.byteOffset,
      parsed.encodedStreams.byteLength,
    );

    try {
      await this.activities.insert({ ...fields, ...score, timeInPowerZonesS });
    } catch (error) {
      // Two identical uploads at once: the unique index lets one in, the other is this 409.
      throw isUniqueViolation(error) ? await this.activityRows.duplicateOf(user.id, dedupKey) : error;
    }
    try {
      await this.streams.insert({ activityId: fields.id, encoding: STREAMS_ENCODING, data });
    } catch (error) {
      // No activity without its streams: take the row back out before answering the error.
      await this.activities.delete({ id: fields.id });
      throw error;
    }
    return this.activities.findOneByOrFail({ id: fields.id });
  }

  private async parse(file: Buffer): Promise<ParsedActivity> {
    try {
      return await parseActivityFile(file, this.config.activityUploadLimitBytes);
    } catch (error) {
      if (error instanceof ActivityFileError) {
        throw error.status === 413
          ? apiError('file_too_large', error.message)
          : unprocessable([{ loc: ['body', 'file'], msg: error.message, type: 'activity_file' }]);
      }
      throw error;
    }
  }

  /** Same user, same sport, a start within 1 s, not a manual entry: 409 naming the one already there. */
  private async refuseDuplicate(userId: number, sport: string, startTime: Date): Promise<void> {
    const candidates = await this.activities.find({
      where: { userId, dedupKey: In(neighbourKeys(sport, startTime)) },
      select: { id: true, startTime: true },
    });
    const duplicate = candidates.find(
      (row) => Math.abs(row.startTime.getTime() - startTime.getTime()) <= DUPLICATE_WINDOW_MS,
    );
    if (duplicate) {
      throw apiError('duplicate_activity', `Duplicate of activity ${duplicate.id}`);
    }
  }
}

function defaultName(sport: string): string {
  return { ride: 'Ride', virtual_ride: 'Virtual ride', run: 'Run' }[sport] ?? 'Activity';
}
