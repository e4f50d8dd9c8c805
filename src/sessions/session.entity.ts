import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { TimestampColumn } from '../database/columns';
import { User } from '../users/user.entity';

/**
 * One login's current token pair. A refresh spends the row (is_valid=false, rotated_at set) and
 * creates its successor in the same family; the tokens of a row can be re-signed from the row alone
 * (jtis, created_at, expires_at), which is what lets the reuse grace window hand out the same pair.
 */
@Entity({ name: 'sessions' })
export class Session {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Index('ix_sessions_user_id')
  @Column({ name: 'user_id', type: 'integer' })
  userId!: number;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_sessions_user_id' })
  user?: User;

  @Index('ix_sessions_family_id')
  @Column({ name: 'family_id', type: 'varchar', length: 36 })
  familyId!: string;

  @Index('ux_sessions_access_token_jti', { unique: true })
  @Column({ name: 'access_token_jti', type: 'varchar', length: 36 })
  accessTokenJti!: string;

  @Index('ux_sessions_refresh_token_jti', { unique: true })
  @Column({ name: 'refresh_token_jti', type: 'varchar', length: 36 })
  refreshTokenJti!: string;

  @Column({ name: 'is_valid', type: 'boolean' })
  isValid!: boolean;

  @TimestampColumn({ name: 'created_at' })
  createdAt!: Date;

  @TimestampColumn({ name: 'expires_at' })
  expiresAt!: Date;

  @TimestampColumn({ name: 'rotated_at', nullable: true })
  rotatedAt!: Date | null;

  @Column({ name: 'replaced_by_id', type: 'integer', nullable: true })
  replacedById!: number | null;

  @Column({ name: 'ip_address', type: 'varchar', length: 45, nullable: true })
  ipAddress!: string | null;

  @Column({ name: 'user_agent', type: 'varchar', length: 500, nullable: true })
  userAgent!: string | null;
}
