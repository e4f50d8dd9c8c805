import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { JsonColumn, TimestampColumn, UuidColumn } from '../database/columns';
import { Mission } from '../missions/mission.entity';
import type { Phase } from '../training/mission-scoring';
import type { Recommendation } from './recommendation.schema';

export const COACH_RUN_STATUSES = ['succeeded', 'fallback'] as const;
export type CoachRunStatus = (typeof COACH_RUN_STATUSES)[number];

export interface CoachRunLoad {
  ctl: number;
  atl: number;
  tsb: number;
  readiness: number | null;
}

/** One daily briefing of a mission: at most one per mission and date (the unique index is the last defence). */
@Entity({ name: 'coach_runs' })
@Index('uq_coach_runs_mission_id_date', ['missionId', 'date'], { unique: true })
export class CoachRun {
  @UuidColumn({ primary: true })
  id!: string;

  @UuidColumn({ name: 'mission_id' })
  missionId!: string;

  @ManyToOne(() => Mission, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'mission_id', foreignKeyConstraintName: 'fk_coach_runs_mission_id' })
  mission?: Mission;

  /** The mission's local date the briefing is for. */
  @Column({ type: 'date' })
  date!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: CoachRunStatus;

  @Column({ type: 'varchar', length: 16 })
  phase!: Phase;

  @JsonColumn()
  load!: CoachRunLoad;

  @JsonColumn()
  recommendation!: Recommendation;

  @Column({ name: 'model_used', type: 'varchar', length: 255, nullable: true })
  modelUsed!: string | null;

  @Column({ name: 'prompt_tokens', type: 'integer' })
  promptTokens!: number;

  @Column({ name: 'completion_tokens', type: 'integer' })
  completionTokens!: number;

  @TimestampColumn({ name: 'created_at' })
  createdAt!: Date;
}
