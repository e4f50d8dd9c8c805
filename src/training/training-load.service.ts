import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Activity } from '../activities/activity.entity';
import { AthleteService } from '../athlete/athlete.service';
import { noteForAudit } from '../audit/audit-notes';
import { checkDateRange } from '../common/date-range-query';
import { unprocessable } from '../common/validation';
import { addDays, calendarDays, daysBetween, todayInTimeZone } from '../common/calendar';
import type { User } from '../users/user.entity';
import { type LoadDay, trainingLoad } from '../sport-science';

export const DEFAULT_LOAD_DAYS = 90;
export const MAX_LOAD_DAYS = 3660;

/** CTL, ATL, TSB and ramp rate per day, from one aggregate query and the pure trainingLoad. */
@Injectable()
export class TrainingLoadService {
  constructor(
    @InjectRepository(Activity) private readonly activities: Repository<Activity>,
    private readonly athlete: AthleteService,
  ) {}

  /** `GET /training/load`: default the 90 days ending today in the athlete's zone; at most 3,660 days. */
  async forRange(user: User, range: { from?: string; to?: string }): Promise<LoadDay[]> {
    const to = range.to ?? todayInTimeZone(await this.athlete.timezoneOf(user.id));
    const from = range.from ?? addDays(to, -(DEFAULT_LOAD_DAYS - 1));
    checkDateRange({ from, to });
    const count = daysBetween(from, to) + 1;
    if (count > MAX_LOAD_DAYS) {
      throw unprocessable([
        {
          loc: ['query', 'from'],
          msg: `At most ${MAX_LOAD_DAYS} days at once (from ${from} to ${to} is ${count})`,
          type: 'range_too_long',
        },
      ]);
    }
    noteForAudit({ details: `days=${count}` });
    return this.loadBetween(user.id, from, to);
  }

  /**
   * The load of each date in [from, to], computed from the day of the athlete's first activity (zero
   * load the day before it), so that any window gives the same numbers for the same date. The day sums
   * come from the covering index (user_id, local_date, tss, ...) alone, already in date order.
   */
  async loadBetween(userId: number, from: string, to: string): Promise<LoadDay[]> {
    const rows = await this.activities
      .createQueryBuilder('a')
      .select('a.local_date', 'date')
      .addSelect('SUM(a.tss)', 'tss')
      .where('a.user_id = :userId', { userId })
      .andWhere('a.local_date <= :to', { to })
      .groupBy('a.local_date')
      .orderBy('a.local_date', 'ASC')
      .getRawMany<{ date: string; tss: number | string | null }>();
    const earliest = rows[0]?.date;
    const start = earliest !== undefined && earliest < from ? earliest : from;
    const dates = calendarDays(start, daysBetween(start, to) + 1);
    // Both lists are in date order: one walk pairs them, no per-day look-up.
    let next = 0;
    const days = dates.map((date) => {
      const row = rows[next];
      if (row !== undefined && row.date === date) {
        next++;
        return { date, tss: Number(row.tss ?? 0) };
      }
      return { date, tss: 0 };
    });
    return trainingLoad(days).slice(daysBetween(start, from));
  }
}
