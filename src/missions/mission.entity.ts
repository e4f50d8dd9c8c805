import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { JsonColumn, TimestampColumn, UuidColumn } from '../database/columns';
import { User } from '../users/user.entity';
import type { MissionState } from './mission-state-machine';

/**
 * A training mission of one user. Calendar dates are `date` columns read back as `YYYY-MM-DD` strings
 * on both engines; the JSON documents come back as objects.
 */
@Entity({ name: 'missions' })
@Index('ix_missions_user_id_created_at', ['userId', 'createdAt'])
@Index('ix_missions_state_event_start_date', ['state', 'eventStartDate'])
export class Mission {
  @UuidColumn({ primary: true })
  id!: string;

  @Column({ name: 'user_id', type: 'integer' })
  userId!: number;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_missions_user_id' })
  user?: User;

  @Column({ type: 'varchar', length: 255 })
  name!: string;

  @Column({ name: 'mission_type', type: 'varchar', length: 100 })
  missionType!: string;

  @Column({ name: 'event_start_date', type: 'date' })
  eventStartDate!: string;

  @Column({ name: 'event_end_date', type: 'date' })
  eventEndDate!: string;

  @Column({ name: 'prep_start_date', type: 'date', nullable: true })
  prepStartDate!: string | null;

  @Column({ name: 'prep_end_date', type: 'date', nullable: true })
  prepEndDate!: string | null;

  @Column({ type: 'varchar', length: 20 })
  state!: MissionState;

  @JsonColumn({ name: 'points_schema' })
  pointsSchema!: object;

  @Column({ type: 'varchar', length: 64 })
  timezone!: string;

  @JsonColumn({ nullable: true })
  constraints!: object | null;

  @JsonColumn({ name: 'notification_preferences', nullable: true })
  notificationPreferences!: object | null;

  @TimestampColumn({ name: 'created_at' })
  createdAt!: Date;

  @TimestampColumn({ name: 'updated_at' })
  updatedAt!: Date;
}
