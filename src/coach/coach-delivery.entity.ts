import { Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { TimestampColumn, UuidColumn } from '../database/columns';
import { Mission } from '../missions/mission.entity';

export const COACH_MAIL_KINDS = ['morning_briefing', 'evening_summary', 'weekly_review'] as const;
export type CoachMailKind = (typeof COACH_MAIL_KINDS)[number];

/**
 * The record that a coach mail was queued: one per mission, kind and date (the primary key), inserted in
 * the same transaction as its outbox row, so a mail is never queued twice and never lost.
 */
@Entity({ name: 'coach_deliveries' })
export class CoachDelivery {
  @UuidColumn({ name: 'mission_id', primary: true })
  missionId!: string;

  @PrimaryColumn({ type: 'varchar', length: 32 })
  kind!: CoachMailKind;

  @PrimaryColumn({ type: 'date' })
  date!: string;

  @ManyToOne(() => Mission, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'mission_id', foreignKeyConstraintName: 'fk_coach_deliveries_mission_id' })
  mission?: Mission;

  /** The mail_outbox row (kept as a plain id: the outbox keeps its own lifecycle). */
  @UuidColumn({ name: 'mail_id' })
  mailId!: string;

  @TimestampColumn({ name: 'created_at' })
  createdAt!: Date;
}
