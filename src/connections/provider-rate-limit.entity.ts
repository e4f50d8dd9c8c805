import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../database/columns';

/** Until when calls to a provider's API are paused (its rate limit), shared by every instance. */
@Entity({ name: 'provider_rate_limits' })
export class ProviderRateLimit {
  @PrimaryColumn({ type: 'varchar', length: 20 })
  provider!: string;

  @TimestampColumn({ name: 'paused_until', nullable: true })
  pausedUntil!: Date | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  reason!: string | null;
}
