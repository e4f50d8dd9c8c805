import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { TimestampColumn, UuidColumn } from '../database/columns';
import { User } from '../users/user.entity';

/** The sealed body's context: a body copied to another row does not open there. */
export const mailBodyContext = (id: string): string => `mail:${id}`;

/**
 * One queued message. The body (text and HTML) is sealed with the TokenCipher, since mailed links carry
 * tokens, and erased once the message is sent; the row stays as the record that it went out.
 * A worker claims a row with one conditional UPDATE (`claimed_until`), so two instances never send it twice.
 */
@Entity({ name: 'mail_outbox' })
@Index('ix_mail_outbox_due', ['sentAt', 'nextAttemptAt'])
export class MailOutboxRecord {
  @UuidColumn({ primary: true })
  id!: string;

  /** The account the message is about (its rows go when the account is deleted); null for other mail. */
  @Index('ix_mail_outbox_user_id')
  @Column({ name: 'user_id', type: 'integer', nullable: true })
  userId!: number | null;

  @ManyToOne(() => User, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_mail_outbox_user_id' })
  user?: User;

  @Column({ name: 'to_address', type: 'varchar', length: 320 })
  toAddress!: string;

  @Column({ type: 'varchar', length: 500 })
  subject!: string;

  /** Sealed `{"text", "html"}`; null once sent. */
  @Column({ type: 'text', nullable: true })
  body!: string | null;

  @Column({ type: 'integer' })
  attempts!: number;

  @TimestampColumn({ name: 'next_attempt_at' })
  nextAttemptAt!: Date;

  @TimestampColumn({ name: 'claimed_until', nullable: true })
  claimedUntil!: Date | null;

  @TimestampColumn({ name: 'sent_at', nullable: true })
  sentAt!: Date | null;

  @Column({ name: 'last_error', type: 'varchar', length: 1000, nullable: true })
  lastError!: string | null;

  @TimestampColumn({ name: 'created_at' })
  createdAt!: Date;
}
