import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { JsonColumn, TimestampColumn, UuidColumn } from '../database/columns';
import { User } from '../users/user.entity';

export const PROVIDERS = ['strava'] as const;
export type Provider = (typeof PROVIDERS)[number];
export type ConnectionStatus = 'connected' | 'error';

/** The sealed tokens' contexts: a token copied into another row or the other column does not open there. */
export const tokenContext = (kind: 'access' | 'refresh', connectionId: string): string =>
  `connection:${connectionId}:${kind}`;

/**
 * A user's link to a provider account. Both tokens are sealed with the TokenCipher (AES-256-GCM, key id
 * in each value); one connection per user and provider, and one user per provider athlete.
 */
@Entity({ name: 'provider_connections' })
@Index('ux_provider_connections_user_id_provider', ['userId', 'provider'], { unique: true })
@Index('ux_provider_connections_provider_athlete_id', ['provider', 'athleteId'], { unique: true })
export class ProviderConnection {
  @UuidColumn({ primary: true })
  id!: string;

  @Column({ name: 'user_id', type: 'integer' })
  userId!: number;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_provider_connections_user_id' })
  user?: User;

  @Column({ type: 'varchar', length: 20 })
  provider!: Provider;

  /** The provider's athlete id, as text (Strava's ids outgrow 32 bits). */
  @Column({ name: 'athlete_id', type: 'varchar', length: 20 })
  athleteId!: string;

  @JsonColumn()
  scopes!: string[];

  @Column({ name: 'access_token', type: 'text' })
  accessToken!: string;

  @Column({ name: 'refresh_token', type: 'text' })
  refreshToken!: string;

  @TimestampColumn({ name: 'access_expires_at' })
  accessExpiresAt!: Date;

  @Column({ type: 'varchar', length: 20 })
  status!: ConnectionStatus;

  @Column({ name: 'last_error', type: 'varchar', length: 500, nullable: true })
  lastError!: string | null;

  @TimestampColumn({ name: 'connected_at' })
  connectedAt!: Date;

  @TimestampColumn({ name: 'last_sync_at', nullable: true })
  lastSyncAt!: Date | null;

  @TimestampColumn({ name: 'updated_at' })
  updatedAt!: Date;
}
