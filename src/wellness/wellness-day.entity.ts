import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../database/columns';
import { User } from '../users/user.entity';

/** How an athlete felt on one calendar date (their own zone); one row per user and date. */
@Entity({ name: 'wellness_days' })
export class WellnessDay {
  @PrimaryColumn({ name: 'user_id', type: 'integer' })
  userId!: number;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_wellness_days_user_id' })
  user?: User;

  @PrimaryColumn({ type: 'date' })
  date!: string;

  @Column({ type: 'integer', nullable: true })
  readiness!: number | null;

  @Column({ name: 'sleep_hours', type: 'double precision', nullable: true })
  sleepHours!: number | null;

  @Column({ name: 'resting_hr', type: 'integer', nullable: true })
  restingHr!: number | null;

  @Column({ name: 'hrv_ms', type: 'double precision', nullable: true })
  hrvMs!: number | null;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  notes!: string | null;

  @TimestampColumn({ name: 'created_at' })
  createdAt!: Date;

  @TimestampColumn({ name: 'updated_at' })
  updatedAt!: Date;
}
