import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { TimestampColumn } from '../database/columns';
import { User } from '../users/user.entity';

export type AccountTokenPurpose = 'password_reset' | 'email_verification' | 'email_change';

/**
 * A token sent by mail. Only its SHA-256 is stored (the token is 256 random bits, so a fast hash is
 * enough: nothing can be guessed from it); it is spent by one conditional UPDATE (`used_at`), so two
 * requests racing with the same token get one success.
 */
@Entity({ name: 'account_tokens' })
@Index('ix_account_tokens_user_id_purpose', ['userId', 'purpose'])
export class AccountToken {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ name: 'user_id', type: 'integer' })
  userId!: number;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_account_tokens_user_id' })
  user?: User;

  @Column({ type: 'varchar', length: 20 })
  purpose!: AccountTokenPurpose;

  @Index('ux_account_tokens_token_hash', { unique: true })
  @Column({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash!: string;

  /** The address an email change moves to (email_change only). */
  @Column({ name: 'new_email', type: 'varchar', length: 255, nullable: true })
  newEmail!: string | null;

  /** The session that asked for an email change: the one left valid when it is confirmed. */
  @Column({ name: 'session_id', type: 'integer', nullable: true })
  sessionId!: number | null;

  @TimestampColumn({ name: 'created_at' })
  createdAt!: Date;

  @TimestampColumn({ name: 'expires_at' })
  expiresAt!: Date;

  /** When it was used, or superseded by a newer token of the same purpose. */
  @TimestampColumn({ name: 'used_at', nullable: true })
  usedAt!: Date | null;
}
