import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../database/columns';
import { User } from '../users/user.entity';

/**
 * One OAuth `state` handed to a browser: the SHA-256 of its random nonce (the nonce itself is only in the
 * URL), the user it was made for, its expiry, and when it was used. Consumed by one conditional UPDATE.
 */
@Entity({ name: 'oauth_states' })
export class OAuthState {
  @PrimaryColumn({ name: 'nonce_hash', type: 'varchar', length: 64 })
  nonceHash!: string;

  @Index('ix_oauth_states_user_id')
  @Column({ name: 'user_id', type: 'integer' })
  userId!: number;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_oauth_states_user_id' })
  user?: User;

  @Column({ type: 'varchar', length: 20 })
  provider!: string;

  @Index('ix_oauth_states_expires_at')
  @TimestampColumn({ name: 'expires_at' })
  expiresAt!: Date;

  @TimestampColumn({ name: 'used_at', nullable: true })
  usedAt!: Date | null;

  @TimestampColumn({ name: 'created_at' })
  createdAt!: Date;
}
