import { Column, Entity, Index } from 'typeorm';
import { JsonColumn, TimestampColumn, UuidColumn } from '../database/columns';

/**
 * A webhook event as Strava delivered it. `event_key` is unique: a repeated delivery (Strava retries, or
 * two instances behind the load balancer) finds the row already there and is processed once.
 */
@Entity({ name: 'strava_webhook_events' })
export class StravaWebhookEvent {
  @UuidColumn({ primary: true })
  id!: string;

  @Index('ux_strava_webhook_events_event_key', { unique: true })
  @Column({ name: 'event_key', type: 'varchar', length: 120 })
  eventKey!: string;

  @Column({ name: 'owner_id', type: 'varchar', length: 20 })
  ownerId!: string;

  @Column({ name: 'object_type', type: 'varchar', length: 20 })
  objectType!: string;

  @Column({ name: 'object_id', type: 'varchar', length: 20 })
  objectId!: string;

  @Column({ name: 'aspect_type', type: 'varchar', length: 20 })
  aspectType!: string;

  @JsonColumn({ nullable: true })
  updates!: Record<string, unknown> | null;

  @TimestampColumn({ name: 'event_time' })
  eventTime!: Date;

  @Index('ix_strava_webhook_events_received_at')
  @TimestampColumn({ name: 'received_at' })
  receivedAt!: Date;

  @TimestampColumn({ name: 'processed_at', nullable: true })
  processedAt!: Date | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  outcome!: string | null;
}
