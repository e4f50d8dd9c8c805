import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { JsonColumn, TimestampColumn, UuidColumn } from '../database/columns';
import { User } from '../users/user.entity';
import type { MissionDraft } from './mission-draft.schema';
import { Mission } from '../missions/mission.entity';

/**
 * A draft from the mission builder, waiting for its owner's confirmation until `expires_at`.
 * `mission_id` is set once, by the confirmation that created the mission; deleting that mission
 * deletes the draft too, so a draft never yields a second mission.
 */
@Entity({ name: 'mission_drafts' })
export class MissionDraftRecord {
  @UuidColumn({ primary: true })
  id!: string;

  @Index('ix_mission_drafts_user_id')
  @Column({ name: 'user_id', type: 'integer' })
  userId!: number;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_mission_drafts_user_id' })
  user?: User;

  @JsonColumn()
  draft!: MissionDraft;

  @Column({ type: 'varchar', length: 255 })
  model!: string;

  @Column({ name: 'prompt_tokens', type: 'integer' })
  promptTokens!: number;

  @Column({ name: 'completion_tokens', type: 'integer' })
  completionTokens!: number;

  @TimestampColumn({ name: 'created_at' })
  createdAt!: Date;

  @Index('ix_mission_drafts_expires_at')
  @TimestampColumn({ name: 'expires_at' })
  expiresAt!: Date;

  @Index('ix_mission_drafts_mission_id')
  @UuidColumn({ name: 'mission_id', nullable: true })
  missionId!: string | null;

  @ManyToOne(() => Mission, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'mission_id', foreignKeyConstraintName: 'fk_mission_drafts_mission_id' })
  mission?: Mission;
}

/** A draft's stored fields, without its relations (what the service writes and answers with). */
export type MissionDraftRow = Omit<MissionDraftRecord, 'user' | 'mission'>;
