import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Between, Repository } from 'typeorm';
import { AthleteService } from '../athlete/athlete.service';
import { noteForAudit } from '../audit/audit-notes';
import { monotonicNow } from '../common/clock';
import { type DateRangePageQueryDto, withinDateRange } from '../common/date-range-query';
import { unprocessable } from '../common/validation';
import { todayInTimeZone } from '../common/calendar';
import type { User } from '../users/user.entity';
import type { PutWellnessDto } from './dto/put-wellness.dto';
import { WellnessDay } from './wellness-day.entity';
import { apiError, ERRORS } from '../common/error-codes';

export const WELLNESS_DAY_NOT_FOUND = ERRORS.wellness_day_not_found.detail;

/** Daily wellness (readiness, sleep, resting HR, HRV), one row per user and date of their own zone. */
@Injectable()
export class WellnessService {
  constructor(
    @InjectRepository(WellnessDay) private readonly days: Repository<WellnessDay>,
    private readonly athlete: AthleteService,
  ) {}

  /** Creates the day or replaces it whole: a field not sent becomes null. */
  async put(user: User, date: string, dto: PutWellnessDto): Promise<WellnessDay> {
    const zone = await this.athlete.timezoneOf(user.id);
    const today = todayInTimeZone(zone);
    if (date > today) {
      throw unprocessable([
        { loc: ['path', 'date'], msg: `date must not be after today (${today} in ${zone})`, type: 'value_error' },
      ]);
    }
    noteForAudit({ resourceId: date });
    const now = monotonicNow();
    await this.days
      .createQueryBuilder()
      .insert()
      .values({
        userId: user.id,
        date,
        readiness: dto.readiness ?? null,
        sleepHours: dto.sleep_hours ?? null,
        restingHr: dto.resting_hr ?? null,
        hrvMs: dto.hrv_ms ?? null,
        notes: dto.notes ?? null,
        createdAt: now,
        updatedAt: now,
      })
      .orUpdate(['readiness', 'sleep_hours', 'resting_hr', 'hrv_ms', 'notes', 'updated_at'], ['user_id', 'date'])
      .execute();
    return this.days.findOneByOrFail({ userId: user.id, date });
  }

  /** Oldest first, within the optional date range. */
  async list(user: User, query: DateRangePageQueryDto): Promise<WellnessDay[]> {
    const date = withinDateRange(query);
    const items = await this.days.find({
      where: { userId: user.id, ...(date ? { date } : {}) },
      order: { date: 'ASC' },
      skip: query.skip,
      take: query.limit,
    });
    noteForAudit({ details: `count=${items.length}` });
    return items;
  }

  async remove(user: User, date: string): Promise<void> {
    noteForAudit({ resourceId: date });
    const result = await this.days.delete({ userId: user.id, date });
    if (!result.affected) {
      throw apiError('wellness_day_not_found');
    }
  }

  /** Readiness by date for one user, within [from, to] (mission progress). */
  async readinessBetween(userId: number, from: string, to: string): Promise<Map<string, number | null>> {
    const rows = await this.days.find({
      where: { userId, date: Between(from, to) },
      select: { date: true, readiness: true },
    });
    return new Map(rows.map((row) => [row.date, row.readiness]));
  }
}
