import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Activity } from '../activities/activity.entity';
import { addDays, daysBetween } from '../common/calendar';
import type { Mission } from '../missions/mission.entity';
import { MissionsService } from '../missions/missions.service';
import { todayInTimeZone } from '../common/calendar';
import type { User } from '../users/user.entity';
import { WellnessService } from '../wellness/wellness.service';
import {
  dayFlags,
  type Intensity,
  intensityOf,
  limitsOf,
  type Phase,
  phaseOf,
  pointsOf,
  pointsRulesOf,
  weekStartOf,
} from './mission-scoring';
import { roundTo } from '../sport-science/rounding';
import { TrainingLoadService } from './training-load.service';

/** The longest window scored at once: the last ten years of a mission that started earlier. */
export const MAX_PROGRESS_DAYS = 3660;

export interface ProgressDay {
  date: string;
  tss: number;
  hours: number;
  intensity: Intensity;
  points: number;
  ctl: number;
  atl: number;
  tsb: number;
  readiness: number | null;
  flags: string[];
}

export interface ProgressWeek {
  week_start: string;
  hours: number;
  tss: number;
  points: number;
  flags: string[];
}

/** The activities of one day, summed. */
interface ActivityDay {
  count: number;
  seconds: number;
  highestIf: number | null;
}

/** A day as answered, with the unrounded sums its week adds up. */
interface ScoredDay {
  day: ProgressDay;
  seconds: number;
  tss: number;
}

export interface MissionProgress {
  mission_id: string;
  phase: Phase;
  days_to_event: number;
  points_total: number;
  days: ProgressDay[];
  weeks: ProgressWeek[];
}

/** A mission's days scored against its own points_schema and constraints (403/404 from the missions service). */
@Injectable()
export class MissionProgressService {
  constructor(
    @InjectRepository(Activity) private readonly activities: Repository<Activity>,
    private readonly missions: MissionsService,
    private readonly load: TrainingLoadService,
    private readonly wellness: WellnessService,
  ) {}

  async progress(user: User, missionId: string): Promise<MissionProgress> {
    const mission = await this.missions.findOwned(user, missionId);
    return this.progressOf(mission, todayInTimeZone(mission.timezone));
  }

  /** The progress of a mission with "today" given (the coach's mails use its own clock). */
  async progressOf(mission: Mission, today: string): Promise<MissionProgress> {
    const daysToEvent = daysBetween(today, mission.eventStartDate);
    const phase = phaseOf(daysToEvent, today > mission.eventEndDate);
    const end = mission.eventEndDate < today ? mission.eventEndDate : today;
    const opened = mission.prepStartDate ?? todayInTimeZone(mission.timezone, mission.createdAt);
    const earliest = addDays(end, -(MAX_PROGRESS_DAYS - 1));
    const start = opened < earliest ? earliest : opened;
    const scored = start > end ? [] : await this.scoreDays(mission.userId, mission, start, end);
    return {
      mission_id: mission.id,
      phase,
      days_to_event: daysToEvent,
      points_total: roundTo(
        scored.reduce((sum, { day }) => sum + day.points, 0),
        1,
      ),
      days: scored.map(({ day }) => day),
      weeks: weeksOf(scored, limitsOf(mission.constraints).maxWeeklyHours),
    };
  }

  /** Moving seconds of the user's activities dated within [from, to] (the coach's minutes ridden this week). */
  async movingSecondsBetween(userId: number, from: string, to: string): Promise<number> {
    let seconds = 0;
    for (const day of (await this.activityDays(userId, from, to)).values()) {
      seconds += day.seconds;
    }
    return seconds;
  }

  /** Per day of [start, end]: how many activities, their moving seconds, their highest IF (SQL sums, from the covering index). */
  private async activityDays(userId: number, start: string, end: string): Promise<Map<string, ActivityDay>> {
    const rows = await this.activities
      .createQueryBuilder('a')
      .select('a.local_date', 'date')
      .addSelect('COUNT(*)', 'count')
      .addSelect('SUM(a.moving_s)', 'seconds')
      .addSelect('MAX(a.intensity_factor)', 'highest_if')
      .where('a.user_id = :userId', { userId })
      .andWhere('a.local_date BETWEEN :start AND :end', { start, end })
      .groupBy('a.local_date')
      .getRawMany<{
        date: string;
        count: number | string;
        seconds: number | string;
        highest_if: number | string | null;
      }>();
    // PostgreSQL answers COUNT and SUM of integers as bigint strings.
    return new Map(
      rows.map((row) => [
        row.date,
        {
          count: Number(row.count),
          seconds: Number(row.seconds),
          highestIf: row.highest_if === null ? null : Number(row.highest_if),
        },
      ]),
    );
  }

  private async scoreDays(
    userId: number,
    mission: { pointsSchema: object; constraints: object | null },
    start: string,
    end: string,
  ): Promise<ScoredDay[]> {
    const [load, byDate, readiness] = await Promise.all([
      this.load.loadBetween(userId, start, end),
      this.activityDays(userId, start, end),
      this.wellness.readinessBetween(userId, start, end),
    ]);
    const rules = pointsRulesOf(mission.pointsSchema);
    const limits = limitsOf(mission.constraints);
    return load.map((loadDay) => {
      const day = byDate.get(loadDay.date);
      const intensity = intensityOf(day?.count ?? 0, day?.highestIf ?? null);
      const tsb = roundTo(loadDay.tsb, 1);
      const dayReadiness = readiness.get(loadDay.date) ?? null;
      const flags = dayFlags(intensity, tsb, dayReadiness, limits);
      const scoredDay: ProgressDay = {
        date: loadDay.date,
        tss: roundTo(loadDay.tss, 1),
        hours: roundTo((day?.seconds ?? 0) / 3600, 1),
        intensity,
        points: roundTo(pointsOf(intensity, flags.length > 0, rules), 1),
        ctl: roundTo(loadDay.ctl, 1),
        atl: roundTo(loadDay.atl, 1),
        tsb,
        readiness: dayReadiness,
        flags,
      };
      return { day: scoredDay, seconds: day?.seconds ?? 0, tss: loadDay.tss };
    });
  }
}

/** Monday-to-Sunday weeks of the window's days (the first and last may be partial). */
function weeksOf(days: ScoredDay[], maxWeeklyHours: number | null): ProgressWeek[] {
  const weeks = new Map<string, { seconds: number; tss: number; points: number }>();
  for (const { day, seconds, tss } of days) {
    const key = weekStartOf(day.date);
    const week = weeks.get(key) ?? { seconds: 0, tss: 0, points: 0 };
    week.seconds += seconds;
    week.tss += tss;
    week.points += day.points;
    weeks.set(key, week);
  }
  return [...weeks].map(([weekStart, week]) => {
    const hours = week.seconds / 3600;
    return {
      week_start: weekStart,
      hours: roundTo(hours, 1),
      tss: roundTo(week.tss, 1),
      points: roundTo(week.points, 1),
      flags: maxWeeklyHours !== null && hours > maxWeeklyHours ? ['over_max_weekly_hours'] : [],
    };
  });
}
