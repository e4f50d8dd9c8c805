import { Column, Entity, JoinColumn, OneToOne } from 'typeorm';
import { BinaryColumn, UuidColumn } from '../database/columns';
import { Activity } from './activity.entity';

/** An uploaded activity's raw samples, compressed; read by the streams route only, never by lists. */
@Entity({ name: 'activity_streams' })
export class ActivityStreamsRecord {
  @UuidColumn({ name: 'activity_id', primary: true })
  activityId!: string;

  @OneToOne(() => Activity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'activity_id', foreignKeyConstraintName: 'fk_activity_streams_activity_id' })
  activity?: Activity;

  /** `br`: brotli-compressed JSON of the streams object. */
  @Column({ type: 'varchar', length: 10 })
  encoding!: string;

  @BinaryColumn()
  data!: Buffer;
}
