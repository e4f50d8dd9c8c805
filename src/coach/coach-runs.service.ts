import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, Repository } from 'typeorm';
import { noteForAudit } from '../audit/audit-notes';
import { todayInTimeZone } from '../common/calendar';
import { Clock, monotonicNow } from '../common/clock';
import { apiError } from '../common/error-codes';
import {
  runTransactionScript,
  timestampParam,
  type Dialect,
  type TransactionScript,
} from '../database/transaction-script';
import type { Mission } from '../missions/mission.entity';
import { MissionsService } from '../missions/missions.service';
import type { User } from '../users/user.entity';
import { CoachFactsService } from './coach-facts.service';
import { CoachLlmClient } from './coach-llm.client';
import { CoachMailService } from './coach-mail.service';
import { applyRules, fallbackPlan } from './coach-rules';
import { CoachRun } from './coach-run.entity';

/** Missions that get a briefing every day. */
export const COACHED_STATES = ['TRAINING', 'EVENT_ACTIVE'] as const;

export interface RunOutcome {
  run: CoachRun;
  /** False when the run already existed (or another instance made it first): nothing new was made. */
  created: boolean;
}

/**
 * Coach runs: one per mission and local date, made from the facts, the model's plan (or the rules alone
 * when the model fails) and the rules that overrule it; mailed when the mission asks for it.
 */
@Injectable()
export class CoachRunsService {
  private readonly logger = new Logger('Coach');

  constructor(
    @InjectRepository(CoachRun) private readonly runs: Repository<CoachRun>,
    @InjectDataSource() private readonly db: DataSource,
    @Inject(Clock) private readonly clock: Clock,
    private readonly missions: MissionsService,
    private readonly facts: CoachFactsService,
    private readonly llm: CoachLlmClient,
    private readonly mail: CoachMailService,
  ) {}

  /** `GET /missions/{id}/runs`: newest date first. */
  async list(user: User, missionId: string, skip: number, limit: number): Promise<CoachRun[]> {
    const mission = await this.missions.findOwned(user, missionId);
    const items = await this.runs.find({
      where: { missionId: mission.id },
      order: { date: 'DESC', createdAt: 'DESC' },
      skip,
      take: limit,
    });
    noteForAudit({ resourceId: mission.id, details: `count=${items.length}` });
    return items;
  }

  /** `GET /missions/{id}/runs/{date}`. */
  async get(user: User, missionId: string, date: string): Promise<CoachRun> {
    const mission = await this.missions.findOwned(user, missionId);
    noteForAudit({ resourceId: mission.id, details: `date=${date}` });
    const run = await this.runs.findOneBy({ missionId: mission.id, date });
    if (!run) {
      throw apiError('coach_run_not_found');
    }
    return run;
  }

  /** `POST /missions/{id}/runs`: today's run (the mission's today), made now unless it exists; `regenerate` replaces it. */
  async runToday(user: User, missionId: string, regenerate: boolean): Promise<RunOutcome> {
    const mission = await this.missions.findOwned(user, missionId);
    if (!(COACHED_STATES as readonly string[]).includes(mission.state)) {
      throw apiError('mission_not_coached');
    }
    const date = todayInTimeZone(mission.timezone, this.clock.now());
    const outcome = await this.runFor(mission, date, { regenerate });
    noteForAudit({
      resourceId: mission.id,
      details: `date=${date} status=${outcome.run.status}${outcome.created ? (regenerate ? ' regenerated' : ' created') : ' existing'}`,
    });
    return outcome;
  }

  /**
   * The mission's run for a date: the existing one, or a new one. Two makers racing (instances, the job and
   * the route) both compute, and the unique (mission_id, date) row decides: the loser answers the winner's run.
   * Mail follows a new run; a run whose mail was not queued (a crash in between) gets it from the scheduler.
   */
  async runFor(mission: Mission, date: string, options: { regenerate?: boolean } = {}): Promise<RunOutcome> {
    if (!options.regenerate) {
      const existing = await this.runs.findOneBy({ missionId: mission.id, date });
      if (existing) {
        return { run: existing, created: false };
      }
    }
    const run = await this.makeRun(mission, date);
    const inserted = await runTransactionScript(this.db, (dialect) => insertRun(run, dialect, options.regenerate));
    const stored = await this.runs.findOneByOrFail({ missionId: mission.id, date });
    if (!inserted || stored.id !== run.id) {
      return { run: stored, created: false };
    }
    try {
      await this.mail.morningBriefing(mission, stored);
    } catch (error) {
      // The run stands; its mail is queued by the next scheduler pass or admin run (it has no delivery record).
      this.logger.error(`Morning mail of mission ${mission.id} for ${date} not queued: ${(error as Error).message}`);
    }
    return { run: stored, created: true };
  }

  private async makeRun(mission: Mission, date: string): Promise<CoachRun> {
    const facts = await this.facts.factsFor(mission, date);
    const model = await this.llm.recommend(mission, facts);
    if (!model.ok) {
      this.logger.warn(`Mission ${mission.id} ${date}: rules-only briefing (${model.detail})`);
    }
    const { recommendation } = applyRules(model.ok ? model.recommendation : fallbackPlan(facts), facts);
    return Object.assign(new CoachRun(), {
      id: randomUUID(),
      missionId: mission.id,
      date,
      status: model.ok ? 'succeeded' : 'fallback',
      phase: facts.phase,
      load: { ctl: facts.ctl, atl: facts.atl, tsb: facts.tsb, readiness: facts.readiness },
      recommendation,
      modelUsed: model.ok ? model.model : null,
      promptTokens: model.usage.prompt,
      completionTokens: model.usage.completion,
      createdAt: monotonicNow(),
    });
  }
}

/** The run's row, replacing the date's earlier run when regenerating; false when another run holds the date. */
function* insertRun(run: CoachRun, dialect: Dialect, replace = false): TransactionScript<boolean> {
  if (replace) {
    yield {
      sql: 'DELETE FROM coach_runs WHERE mission_id = :missionId AND date = :date',
      params: { missionId: run.missionId, date: run.date },
    };
  }
  const result = yield {
    sql:
      'INSERT INTO coach_runs (id, mission_id, date, status, phase, load, recommendation, model_used, prompt_tokens, ' +
      'completion_tokens, created_at) VALUES (:id, :missionId, :date, :status, :phase, :load, :recommendation, ' +
      ':modelUsed, :promptTokens, :completionTokens, :createdAt) ON CONFLICT (mission_id, date) DO NOTHING',
    params: {
      id: run.id,
      missionId: run.missionId,
      date: run.date,
      status: run.status,
      phase: run.phase,
      load: JSON.stringify(run.load),
      recommendation: JSON.stringify(run.recommendation),
      modelUsed: run.modelUsed,
      promptTokens: run.promptTokens,
      completionTokens: run.completionTokens,
      createdAt: timestampParam(run.createdAt, dialect),
    },
  };
  return result.affected === 1;
}
