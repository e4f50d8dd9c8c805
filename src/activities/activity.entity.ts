import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { JsonColumn, TimestampColumn, UuidColumn } from '../database/columns';
import { User } from '../users/user.entity';

export const SPORTS = ['ride', 'virtual_ride', 'run', 'other'] as const;
export type ActivitySport = (typeof SPORTS)[number];
export const ACTIVITY_SOURCES = ['fit', 'tcx', 'gpx', 'manual', 'strava'] as const;
export type ActivitySource = (typeof ACTIVITY_SOURCES)[number];
export const TSS_METHODS = ['power', 'heart_rate', 'manual', 'none'] as const;
export type ActivityTssMethod = (typeof TSS_METHODS)[number];

const double = { type: 'double precision', nullable: true } as const;

/**
 * One activity: its summary (FTP-independent, from the streams or the manual entry) and its score
 * (from the FTP of its date, recomputed when that FTP changes). The streams live in `activity_streams`.
 */
@Entity({ name: 'activities' })
// Covering for the per-day sums of the training load and mission progress (migration 1765200000000).
@Index('ix_activities_user_id_local_date_scores', ['userId', 'localDate', 'tss', 'movingS', 'intensityFactor'])
@Index('ux_activities_user_id_dedup_key', ['userId', 'dedupKey'], { unique: true })
// One activity per activity of another service (migration 1765500000000): an import happens once.
@Index('ux_activities_user_id_external_id', ['userId', 'externalId'], { unique: true })
export class Activity {
  @UuidColumn({ primary: true })
  id!: string;

  @Column({ name: 'user_id', type: 'integer' })
  userId!: number;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_activities_user_id' })
  user?: User;

  @Column({ type: 'varchar', length: 255 })
  name!: string;

  @Column({ type: 'varchar', length: 20 })
  sport!: ActivitySport;

  @Column({ type: 'varchar', length: 10 })
  source!: ActivitySource;

  @TimestampColumn({ name: 'start_time' })
  startTime!: Date;

  /** The start's calendar date in the athlete's zone. */
  @Column({ name: 'local_date', type: 'date' })
  localDate!: string;

  /** `<sport>:<start second>` for file uploads (duplicate detection); null for manual entries. */
  @Column({ name: 'dedup_key', type: 'varchar', length: 40, nullable: true })
  dedupKey!: string | null;

  /** The activity's id at the service it was imported from (`strava:<id>`); null for uploads and manual entries. */
  @Column({ name: 'external_id', type: 'varchar', length: 40, nullable: true })
  externalId!: string | null;

  @Column({ name: 'elapsed_s', type: 'integer' })
  elapsedS!: number;

  @Column({ name: 'moving_s', type: 'integer' })
  movingS!: number;

  @Column({ name: 'distance_m', ...double })
  distanceM!: number | null;

  @Column({ name: 'elevation_gain_m', ...double })
  elevationGainM!: number | null;

  @Column({ name: 'avg_power', ...double })
  avgPower!: number | null;

  @Column({ name: 'max_power', ...double })
  maxPower!: number | null;

  @Column({ name: 'normalized_power', ...double })
  normalizedPower!: number | null;

  @Column({ name: 'avg_hr', ...double })
  avgHr!: number | null;

  @Column({ name: 'max_hr', ...double })
  maxHr!: number | null;

  @Column({ name: 'avg_cadence', ...double })
  avgCadence!: number | null;

  /** A TSS the athlete set (manual entry or PATCH); null means computed. */
  @Column({ name: 'manual_tss', ...double })
  manualTss!: number | null;

  @Column({ name: 'intensity_factor', ...double })
  intensityFactor!: number | null;

  @Column({ name: 'tss', ...double })
  tss!: number | null;

  @Column({ name: 'tss_method', type: 'varchar', length: 20 })
  tssMethod!: ActivityTssMethod;

  @Column({ name: 'ftp_used', type: 'integer', nullable: true })
  ftpUsed!: number | null;

  @JsonColumn({ name: 'time_in_power_zones_s', nullable: true })
  timeInPowerZonesS!: number[] | null;

  /** Whether its streams have a power channel (time in zones is recomputed from them when the FTP changes). */
  @Column({ name: 'has_power_streams', type: 'boolean' })
  hasPowerStreams!: boolean;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  notes!: string | null;

  @TimestampColumn({ name: 'created_at' })
  createdAt!: Date;

  @TimestampColumn({ name: 'updated_at' })
  updatedAt!: Date;
}
