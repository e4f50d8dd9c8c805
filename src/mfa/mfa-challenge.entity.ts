import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { TimestampColumn, UuidColumn } from '../database/columns';
import { User } from '../users/user.entity';

/** The pending second step of one login: the `mfa_token`'s jti, spent by the verification that wins. */
@Entity({ name: 'mfa_challenges' })
export class MfaChallenge {
  @UuidColumn({ primary: true })
  id!: string;

  @Index('ix_mfa_challenges_user_id')
  @Column({ name: 'user_id', type: 'integer' })
  userId!: number;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_mfa_challenges_user_id' })
  user?: User;

  @TimestampColumn({ name: 'created_at' })
  createdAt!: Date;

  @Index('ix_mfa_challenges_expires_at')
  @TimestampColumn({ name: 'expires_at' })
  expiresAt!: Date;

  @TimestampColumn({ name: 'used_at', nullable: true })
  usedAt!: Date | null;
}
