import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { TimestampColumn } from '../database/columns';
import { User } from '../users/user.entity';

/** An FTP in effect from a date on (until the next entry); one entry per user and date. */
@Entity({ name: 'ftp_history' })
@Index('ux_ftp_history_user_id_effective_from', ['userId', 'effectiveFrom'], { unique: true })
export class FtpEntry {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ name: 'user_id', type: 'integer' })
  userId!: number;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_ftp_history_user_id' })
  user?: User;

  @Column({ name: 'effective_from', type: 'date' })
  effectiveFrom!: string;

  @Column({ type: 'integer' })
  ftp!: number;

  @TimestampColumn({ name: 'created_at' })
  createdAt!: Date;
}
