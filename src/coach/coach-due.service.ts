import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import pLimit from 'p-limit';
import { In, Repository } from 'typeorm';
import { noteForAudit } from '../audit/audit-notes';
import { localDateAndHour } from '../common/calendar';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { Mission } from '../missions/mission.entity';
import { CoachMailService, wantsMail } from './coach-mail.service';
import { CoachRun } from './coach-run.entity';
import { COACHED_STATES, CoachRunsService } from './coach-runs.service';

/** A mission and its local date and hour at the moment looked at. */
export interface MissionDay {
  mission: Mission;
  date: string;
  hour: number;
}

const CHUNK = 500;

/**
 * What is due at a moment, mission by mission in each one's own zone: the day's briefing from
 * COACH_BRIEFING_HOUR, its morning mail (when a run exists without it: a crash between the two), the evening
 * summary from COACH_EVENING_HOUR and, on Sundays, the weekly review. The scheduler and the admin route ask here.
 */
@Injectable()
export class CoachDueService {
  private readonly logger = new Logger('Coach');

  constructor(
    @InjectRepository(Mission) private readonly missions: Repository<Mission>,
    @InjectRepository(CoachRun) private readonly runs: Repository<CoachRun>,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly coachRuns: CoachRunsService,
    private readonly mail: CoachMailService,
  ) {}

  /** Every coached mission with its local date and hour now. */
  async coachedMissionDays(now: Date = this.clock.now()): Promise<MissionDay[]> {
    const missions = await this.missions.find({
      where: { state: In([...COACHED_STATES]) },
      order: { createdAt: 'ASC' },
    });
    return missions.map((mission) => ({ mission, ...localDateAndHour(mission.timezone, now) }));
  }

  /** The missions whose briefing is due and not made yet. */
  async dueBriefings(days?: MissionDay[]): Promise<MissionDay[]> {
    const candidates = (days ?? (await this.coachedMissionDays())).filter(
      (d) => d.hour >= this.config.COACH_BRIEFING_HOUR,
    );
    const made = await this.runsAmong(candidates);
    return candidates.filter((d) => !made.has(`${d.mission.id}:${d.date}`));
  }

  /** `POST /jobs/coach-runs`: makes every due run now, COACH_CONCURRENCY at a time; how many it made. */
  async makeDueRuns(): Promise<number> {
    const days = await this.coachedMissionDays();
    const due = await this.dueBriefings(days);
    const limit = pLimit(this.config.COACH_CONCURRENCY);
    const made = await Promise.all(
      due.map((d) =>
        limit(async () => {
          try {
            return (await this.coachRuns.runFor(d.mission, d.date)).created;
          } catch (error) {
            this.logger.error(`Briefing of mission ${d.mission.id} for ${d.date} failed: ${(error as Error).message}`);
            return false;
          }
        }),
      ),
    );
    await this.catchUpMorningMails(days);
    const created = made.filter(Boolean).length;
    noteForAudit({ details: `due=${due.length} created=${created}` });
    return created;
  }

  /** Runs of the missions' current dates whose morning mail was never queued (a crash in between): queued now. */
  async catchUpMorningMails(days: MissionDay[]): Promise<number> {
    let queued = 0;
    const wanting = days.filter((d) => wantsMail(d.mission, 'morning_briefing'));
    for (const [date, group] of byDate(wanting)) {
      const delivered = await this.mail.deliveredAmong(
        group.map((d) => d.mission.id),
        'morning_briefing',
        date,
      );
      const missing = group.filter((d) => !delivered.has(d.mission.id));
      for (const part of chunks(missing)) {
        const runs = await this.runs.find({ where: { date, missionId: In(part.map((d) => d.mission.id)) } });
        for (const run of runs) {
          const day = part.find((d) => d.mission.id === run.missionId);
          if (day && (await this.mail.morningBriefing(day.mission, run))) {
            queued++;
          }
        }
      }
    }
    return queued;
  }

  /** From COACH_EVENING_HOUR: the day's summary, and on Sundays the week's review, for missions that ask for them. */
  async sendEveningMails(days: MissionDay[]): Promise<number> {
    let queued = 0;
    const evening = days.filter((d) => d.hour >= this.config.COACH_EVENING_HOUR);
    for (const kind of ['evening_summary', 'weekly_review'] as const) {
      const wanting = evening.filter(
        (d) => wantsMail(d.mission, kind) && (kind === 'evening_summary' || isSunday(d.date)),
      );
      for (const [date, group] of byDate(wanting)) {
        const delivered = await this.mail.deliveredAmong(
          group.map((d) => d.mission.id),
          kind,
          date,
        );
        for (const d of group.filter((g) => !delivered.has(g.mission.id))) {
          const sent =
            kind === 'evening_summary'
              ? await this.mail.eveningSummary(d.mission, date)
              : await this.mail.weeklyReview(d.mission, date);
          queued += sent ? 1 : 0;
        }
      }
    }
    return queued;
  }

  /** `<mission id>:<date>` of the runs that exist among these mission days. */
  private async runsAmong(days: MissionDay[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (const [date, group] of byDate(days)) {
      for (const part of chunks(group)) {
        const rows = await this.runs.find({
          select: { missionId: true },
          where: { date, missionId: In(part.map((d) => d.mission.id)) },
        });
        rows.forEach((row) => found.add(`${row.missionId}:${date}`));
      }
    }
    return found;
  }
}

function isSunday(date: string): boolean {
  return new Date(`${date}T00:00:00Z`).getUTCDay() === 0;
}

function byDate(days: MissionDay[]): Map<string, MissionDay[]> {
  const groups = new Map<string, MissionDay[]>();
  for (const day of days) {
    groups.set(day.date, [...(groups.get(day.date) ?? []), day]);
  }
  return groups;
}

function chunks<T>(items: T[]): T[][] {
  const parts: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) {
    parts.push(items.slice(i, i + CHUNK));
  }
  return parts;
}
