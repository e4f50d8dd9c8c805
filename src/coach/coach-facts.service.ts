import { Injectable } from '@nestjs/common';
import { addDays, daysBetween } from '../common/calendar';
import type { Mission } from '../missions/mission.entity';
import { limitsOf, phaseOf, weekStartOf } from '../training/mission-scoring';
import { MissionProgressService } from '../training/mission-progress.service';
import { roundTo } from '../sport-science/rounding';
import { TrainingLoadService } from '../training/training-load.service';
import { WellnessService } from '../wellness/wellness.service';
import type { CoachFacts } from './coach-facts';

/** The facts of a mission's day, from the training services (the same numbers as /training/load and progress). */
@Injectable()
export class CoachFactsService {
  constructor(
    private readonly load: TrainingLoadService,
    private readonly progress: MissionProgressService,
    private readonly wellness: WellnessService,
  ) {}

  async factsFor(mission: Mission, date: string): Promise<CoachFacts> {
    const weekStart = weekStartOf(date);
    const [load, readiness, seconds] = await Promise.all([
      this.load.loadBetween(mission.userId, addDays(date, -7), date),
      this.wellness.readinessBetween(mission.userId, date, date),
      this.progress.movingSecondsBetween(mission.userId, weekStart, date),
    ]);
    const day = load[load.length - 1];
    const daysToEvent = daysBetween(date, mission.eventStartDate);
    return {
      date,
      phase: phaseOf(daysToEvent, date > mission.eventEndDate),
      daysToEvent,
      ctl: roundTo(day.ctl, 1),
      atl: roundTo(day.atl, 1),
      tsb: roundTo(day.tsb, 1),
      readiness: readiness.get(date) ?? null,
      lastSevenDays: load.slice(0, -1).map((d) => ({ date: d.date, tss: roundTo(d.tss, 1) })),
      limits: limitsOf(mission.constraints),
      weekStart,
      minutesThisWeek: seconds / 60,
    };
  }
}
