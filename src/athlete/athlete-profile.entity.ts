import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../database/columns';
import { User } from '../users/user.entity';

/** One user's athlete settings; the FTP lives in `ftp_history` (it changes over time). */
@Entity({ name: 'athlete_profiles' })
export class AthleteProfile {
  @PrimaryColumn({ name: 'user_id', type: 'integer' })
  userId!: number;

  @OneToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_athlete_profiles_user_id' })
  user?: User;

  @Column({ name: 'weight_kg', type: 'double precision', nullable: true })
  weightKg!: number | null;

  @Column({ name: 'max_hr', type: 'integer', nullable: true })
  maxHr!: number | null;

  @Column({ name: 'threshold_hr', type: 'integer', nullable: true })
  thresholdHr!: number | null;

  @Column({ type: 'varchar', length: 64 })
  timezone!: string;

  @TimestampColumn({ name: 'created_at' })
  createdAt!: Date;

  @TimestampColumn({ name: 'updated_at' })
  updatedAt!: Date;
}
