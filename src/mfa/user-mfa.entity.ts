import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../database/columns';
import { User } from '../users/user.entity';

/**
 * A user's TOTP secret (sealed with the TokenCipher, context `totp:user:<id>`) and the last 30-s step
 * a code was accepted for: a code of that step or an earlier one is a replay. The secret is pending until
 * `users.mfa_enabled` is set by a first good code.
 */
@Entity({ name: 'user_mfa' })
export class UserMfa {
  @PrimaryColumn({ name: 'user_id', type: 'integer' })
  userId!: number;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_user_mfa_user_id' })
  user?: User;

  @Column({ name: 'totp_secret', type: 'text' })
  totpSecret!: string;

  @Column({ name: 'last_used_step', type: 'integer', nullable: true })
  lastUsedStep!: number | null;

  @TimestampColumn({ name: 'created_at' })
  createdAt!: Date;
}
