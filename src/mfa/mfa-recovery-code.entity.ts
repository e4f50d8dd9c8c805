import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { TimestampColumn } from '../database/columns';
import { User } from '../users/user.entity';

/** One of the ten recovery codes, as its SHA-256 (80 random bits each); spent once. */
@Entity({ name: 'mfa_recovery_codes' })
export class MfaRecoveryCode {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Index('ix_mfa_recovery_codes_user_id')
  @Column({ name: 'user_id', type: 'integer' })
  userId!: number;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_mfa_recovery_codes_user_id' })
  user?: User;

  @Column({ name: 'code_hash', type: 'varchar', length: 64 })
  codeHash!: string;

  @TimestampColumn({ name: 'used_at', nullable: true })
  usedAt!: Date | null;
}
