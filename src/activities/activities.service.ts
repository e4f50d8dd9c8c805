import { ConflictException, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AthleteService } from '../athlete/athlete.service';
import { noteForAudit } from '../audit/audit-notes';
import { monotonicNow } from '../common/clock';
import { type DateRangePageQueryDto, withinDateRange } from '../common/date-range-query';
import type { ActivityStreams } from '../sport-science';
import type { User } from '../users/user.entity';
import { isUniqueViolation } from '../database/database-errors';
import { scoreOf } from './activity-score';
import { dedupKeyOf } from './duplicates';
import { ActivityStreamsRecord } from './activity-streams.entity';
import { Activity } from './activity.entity';
import { ActivityWriter } from './activity-writer.service';
import type { CreateActivityDto } from './dto/create-activity.dto';
import type { UpdateActivityDto } from './dto/update-activity.dto';
import { decodeStreams } from './streams-codec';
import { apiError, ERRORS } from '../common/error-codes';

export const ACTIVITY_NOT_FOUND = ERRORS.activity_not_found.detail;
export const NO_STREAMS = ERRORS.activity_has_no_streams.detail;

/** An activity's own rows: manual entries, the list, one activity, its changes, its deletion, its streams. */
@Injectable()
export class ActivitiesService {
  constructor(
    @InjectRepository(Activity) private readonly activities: Repository<Activity>,
    @InjectRepository(ActivityStreamsRecord) private readonly streams: Repository<ActivityStreamsRecord>,
    private readonly athlete: AthleteService,
    private readonly writer: ActivityWriter,
  ) {}

  /** A manual entry: never a duplicate, no streams; scored like a file from its own numbers. */
  createManual(user: User, dto: CreateActivityDto): Promise<Activity> {
    return this.writer.insert(
      user.id,
      {
        name: dto.name,
        sport: dto.sport,
        source: 'manual',
        startTime: new Date(dto.start_time),
        dedupKey: null,
        externalId: null,
        elapsedS: dto.duration_s,
        movingS: dto.duration_s,
        distanceM: dto.distance_m ?? null,
        elevationGainM: null,
        avgPower: dto.avg_power ?? null,
        maxPower: null,
        normalizedPower: dto.normalized_power ?? null,
        avgHr: dto.avg_hr ?? null,
        maxHr: null,
        avgCadence: null,
        manualTss: dto.tss ?? null,
        hasPowerStreams: false,
        notes: dto.notes ?? null,
      },
      null,
    );
  }

  /** Newest first by local date (then start time, then creation), within the optional date range. */
  async list(user: User, query: DateRangePageQueryDto): Promise<Activity[]> {
    const localDate = withinDateRange(query);
    const items = await this.activities.find({
      where: { userId: user.id, ...(localDate ? { localDate } : {}) },
      order: { localDate: 'DESC', startTime: 'DESC', createdAt: 'DESC', id: 'DESC' },
      skip: query.skip,
      take: query.limit,
    });
    noteForAudit({ details: `count=${items.length}` });
    return items;
  }

  /** The caller's activity; another user's answers 404 like an unknown id. */
  async findOwned(user: User, id: string): Promise<Activity> {
    const activity = await this.activities.findOneBy({ id, userId: user.id });
    if (!activity) {
      throw apiError('activity_not_found');
    }
    return activity;
  }

  async update(user: User, id: string, dto: UpdateActivityDto): Promise<Activity> {
    const activity = await this.findOwned(user, id);
    const sent = Object.keys(dto).filter((key) => dto[key as keyof UpdateActivityDto] !== undefined);
    noteForAudit({ details: `fields=${sent.join(',') || 'none'}` });
    if (sent.length === 0) {
      return activity;
    }
    const changes: Partial<Activity> = { updatedAt: monotonicNow() };
    if (dto.name !== undefined) {
      changes.name = dto.name;
    }
    if (dto.sport !== undefined) {
      changes.sport = dto.sport;
      changes.dedupKey = activity.dedupKey === null ? null : dedupKeyOf(dto.sport, activity.startTime);
    }
    if (dto.notes !== undefined) {
      changes.notes = dto.notes;
    }
    if (dto.tss !== undefined) {
      changes.manualTss = dto.tss;
      Object.assign(changes, scoreOf({ ...activity, manualTss: dto.tss }, await this.athlete.settingsOf(user.id)));
    }
    try {
      await this.activities.update({ id: activity.id }, changes);
    } catch (error) {
      throw isUniqueViolation(error) ? await this.duplicateOf(user.id, changes.dedupKey ?? null) : error;
    }
    return this.activities.findOneByOrFail({ id: activity.id });
  }

  /** The 409 naming the activity that already holds a duplicate key. */
  async duplicateOf(userId: number, dedupKey: string | null): Promise<ConflictException> {
    const existing = dedupKey === null ? null : await this.activities.findOneBy({ userId, dedupKey });
    return apiError('duplicate_activity', existing ? `Duplicate of activity ${existing.id}` : undefined);
  }

  async remove(user: User, id: string): Promise<void> {
    const activity = await this.findOwned(user, id);
    await this.activities.delete({ id: activity.id });
  }

  async streamsOf(user: User, id: string): Promise<ActivityStreams> {
    const activity = await this.findOwned(user, id);
    const record = await this.streams.findOneBy({ activityId: activity.id });
    if (!record) {
      throw apiError('activity_has_no_streams');
    }
    return decodeStreams(record.data);
  }
}
