import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, MoreThanOrEqual, Repository } from 'typeorm';
import { AthleteChanges, type AthleteChange } from '../athlete/athlete-changes';
import { AthleteService } from '../athlete/athlete.service';
import { ftpOn } from '../athlete/ftp-history';
import { monotonicNow } from '../common/clock';
import { todayInTimeZone } from '../common/calendar';
import { timeInPowerZones } from '../sport-science';
import { sameScore, scoreOf, type ScoringAthlete } from './activity-score';
import { ActivityStreamsRecord } from './activity-streams.entity';
import { Activity } from './activity.entity';
import { decodeStreams } from './streams-codec';

/**
 * Keeps activities in step with the athlete profile: a new FTP re-scores the activities it applies to
 * (and their time in zones), a new threshold heart rate re-scores, a new zone re-dates them.
 * Each activity is its own UPDATE (no multi-statement transaction: see the README's design notes).
 */
@Injectable()
export class ActivityScoringService implements OnModuleInit {
  constructor(
    @InjectRepository(Activity) private readonly activities: Repository<Activity>,
    @InjectRepository(ActivityStreamsRecord) private readonly streams: Repository<ActivityStreamsRecord>,
    private readonly athlete: AthleteService,
    private readonly changes: AthleteChanges,
  ) {}

  onModuleInit(): void {
    this.changes.listen((change) => this.follow(change));
  }

  /** Time in the 7 power zones of `ftp` from an activity's stored streams. */
  async timeInZones(activityId: string, ftp: number): Promise<number[] | null> {
    const record = await this.streams.findOneBy({ activityId });
    return record ? timeInPowerZones(await decodeStreams(record.data), ftp) : null;
  }

  private async follow(change: AthleteChange): Promise<void> {
    const athlete = await this.athlete.settingsOf(change.userId);
    if (change.timezoneChanged) {
      await this.redate(change.userId, athlete.timezone);
    }
    const everything = change.timezoneChanged || change.thresholdHrChanged || change.ftpChangedFrom === null;
    if (everything) {
      await this.rescore(change.userId, athlete, undefined);
    } else if (typeof change.ftpChangedFrom === 'string') {
      await this.rescore(change.userId, athlete, change.ftpChangedFrom);
    }
  }

  /** Each activity's date in the athlete's (new) zone; rows moved together, one UPDATE per date. */
  private async redate(userId: number, timezone: string): Promise<void> {
    const rows = await this.activities.find({
      where: { userId },
      select: { id: true, startTime: true, localDate: true },
    });
    const moved = new Map<string, string[]>();
    for (const row of rows) {
      const date = todayInTimeZone(timezone, row.startTime);
      if (date !== row.localDate) {
        moved.set(date, [...(moved.get(date) ?? []), row.id]);
      }
    }
    for (const [localDate, ids] of moved) {
      for (let i = 0; i < ids.length; i += 500) {
        await this.activities.update({ id: In(ids.slice(i, i + 500)) }, { localDate, updatedAt: monotonicNow() });
      }
    }
  }

  private async rescore(userId: number, athlete: ScoringAthlete, from: string | undefined): Promise<void> {
    const rows = await this.activities.find({
      where: { userId, ...(from === undefined ? {} : { localDate: MoreThanOrEqual(from) }) },
      select: {
        id: true,
        localDate: true,
        movingS: true,
        normalizedPower: true,
        avgPower: true,
        avgHr: true,
        manualTss: true,
        intensityFactor: true,
        tss: true,
        tssMethod: true,
        ftpUsed: true,
        hasPowerStreams: true,
      },
    });
    for (const row of rows) {
      const score = scoreOf(row, athlete);
      const ftp = ftpOn(athlete.ftpHistory, row.localDate);
      const zonesChange = row.hasPowerStreams && ftp !== row.ftpUsed;
      if (sameScore(score, row) && !zonesChange) {
        continue;
      }
      const timeInPowerZonesS = row.hasPowerStreams && ftp !== null ? await this.timeInZones(row.id, ftp) : null;
      await this.activities.update(
        { id: row.id },
        { ...score, ...(zonesChange ? { timeInPowerZonesS } : {}), updatedAt: monotonicNow() },
      );
    }
  }
}
