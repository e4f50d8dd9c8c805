import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, LessThanOrEqual, Repository } from 'typeorm';
import { noteForAudit } from '../audit/audit-notes';
import { monotonicNow } from '../common/clock';
import type { User } from '../users/user.entity';
import { addDays, todayUtc } from '../common/calendar';
import type { MissionTransitionDto } from './dto/transition-mission.dto';
import { Mission } from './mission.entity';
import {
  checkTransition,
  dueTransitions,
  isMissionState,
  MISSION_STATES,
  type MissionState,
} from './mission-state-machine';
import { MissionsService } from './missions.service';
import { todayInTimeZone } from '../common/calendar';
import { apiError } from '../common/error-codes';

/** The states the transition job looks at (PREP never moves on its own; MISSION_COMPLETE is final). */
const MOVABLE: MissionState[] = ['TRAINING', 'EVENT_ACTIVE'];

/**
 * State changes, by hand and by the job. Every change is a conditional update (`WHERE id = ? AND
 * state = <old state>`) that counts only when it changed a row, so two overlapping runs, two
 * instances, or a run racing a user never apply one transition twice.
 */
@Injectable()
export class MissionTransitionsService {
  private readonly logger = new Logger(MissionTransitionsService.name);

  constructor(
    @InjectRepository(Mission) private readonly missions: Repository<Mission>,
    private readonly missionsService: MissionsService,
  ) {}

  /** `POST /missions/{id}/transition`: 400 unknown state, 409 same or illegal move, else the mission. */
  async transition(user: User, id: string, target: string): Promise<Mission> {
    const mission = await this.missionsService.findOwned(user, id);
    if (!isMissionState(target)) {
      throw apiError('invalid_state', `Invalid target_state '${target}'. Valid states: ${MISSION_STATES.join(', ')}`);
    }
    const verdict = checkTransition(mission.state, target, user);
    if (!verdict.allowed) {
      throw apiError('illegal_transition', verdict.reason);
    }
    if (!(await this.move(mission.id, mission.state, target))) {
      throw apiError('mission_state_changed');
    }
    noteForAudit({ details: `${mission.state} -> ${target}` });
    return this.missionsService.findById(mission.id);
  }

  /**
   * Applies every automatic transition that is due, "today" being the date in each mission's own time
   * zone; a mission can move two steps in one run (two entries).
   */
  async runDueTransitions(now: Date = new Date()): Promise<MissionTransitionDto[]> {
    // No zone is ahead of UTC by more than 14 hours: nothing starting after tomorrow (UTC) can be due.
    const latestToday = addDays(todayUtc(now), 1);
    const candidates = await this.missions.find({
      where: { state: In(MOVABLE), eventStartDate: LessThanOrEqual(latestToday) },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
    const performed: MissionTransitionDto[] = [];
    for (const mission of candidates) {
      for (const step of dueTransitions(mission, this.todayFor(mission, now))) {
        if (await this.move(mission.id, step.from, step.to)) {
          performed.push({
            mission_id: mission.id,
            mission_name: mission.name,
            old_state: step.from,
            new_state: step.to,
            reason: step.reason,
          });
        }
      }
    }
    noteForAudit({ details: `transitions_performed=${performed.length}` });
    return performed;
  }

  private todayFor(mission: Mission, now: Date): string {
    try {
      return todayInTimeZone(mission.timezone, now);
    } catch {
      this.logger.warn(`Mission ${mission.id} has an unknown time zone '${mission.timezone}'; using UTC`);
      return todayUtc(now);
    }
  }

  /** True when this call made the change (the mission was still in `from`). */
  private async move(id: string, from: MissionState, to: MissionState): Promise<boolean> {
    const result = await this.missions.update({ id, state: from }, { state: to, updatedAt: monotonicNow() });
    return result.affected === 1;
  }
}
