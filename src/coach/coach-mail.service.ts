import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { daysBetween } from '../common/calendar';
import { monotonicNow } from '../common/clock';
import {
  runTransactionScript,
  timestampParam,
  type Dialect,
  type TransactionScript,
} from '../database/transaction-script';
import { MailService } from '../mail/mail.service';
import { resolveNotificationPreferences } from '../mission-builder/dto/notification-preferences.dto';
import type { Mission } from '../missions/mission.entity';
import { weekStartOf } from '../training/mission-scoring';
import { MissionProgressService } from '../training/mission-progress.service';
import { User } from '../users/user.entity';
import { type CoachMailKind, CoachDelivery } from './coach-delivery.entity';
import { eveningSummaryMail, morningBriefingMail, type RenderedMail, weeklyReviewMail } from './coach-mails';
import type { CoachRun } from './coach-run.entity';

/** Whether the mission's notification_preferences ask for this mail by email (the builder's defaults for what is missing). */
export function wantsMail(mission: Mission, kind: CoachMailKind): boolean {
  const prefs = resolveNotificationPreferences(mission.notificationPreferences);
  return prefs.channel === 'email' && prefs[kind] === true;
}

/**
 * The coach's mails. Each is queued once per mission, kind and date: its delivery record and its outbox row
 * are inserted in one transaction, so a mail is never queued twice (the record's key) and never lost (no
 * record without its outbox row, and a missing record means the mail is still to be queued). Delivery and
 * its retries are the mail outbox's: a mail server that fails never fails a run.
 */
@Injectable()
export class CoachMailService {
  constructor(
    @InjectRepository(CoachDelivery) private readonly deliveries: Repository<CoachDelivery>,
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectDataSource() private readonly db: DataSource,
    @Inject(MailService) private readonly mail: MailService,
    private readonly progress: MissionProgressService,
  ) {}

  /** Queues the run's morning briefing when the mission asks for it; true when queued now. */
  morningBriefing(mission: Mission, run: CoachRun): Promise<boolean> {
    return this.deliver(mission, 'morning_briefing', run.date, () =>
      Promise.resolve(morningBriefingMail(mission, run, daysBetween(run.date, mission.eventStartDate))),
    );
  }

  /** Queues the evening summary of `date` (the mission's today) when asked for; true when queued now. */
  eveningSummary(mission: Mission, date: string): Promise<boolean> {
    return this.deliver(mission, 'evening_summary', date, async () => {
      const progress = await this.progress.progressOf(mission, date);
      const day = progress.days.find((d) => d.date === date);
      return day ? eveningSummaryMail(mission, day, progress) : null;
    });
  }

  /** Queues the review of the week ending on `date` (a Sunday) when asked for; true when queued now. */
  weeklyReview(mission: Mission, date: string): Promise<boolean> {
    return this.deliver(mission, 'weekly_review', date, async () => {
      const progress = await this.progress.progressOf(mission, date);
      const weekStart = weekStartOf(date);
      const week = progress.weeks.find((w) => w.week_start === weekStart);
      const days = progress.days.filter((d) => d.date >= weekStart && d.date <= date);
      return week ? weeklyReviewMail(mission, week, days, progress) : null;
    });
  }

  /** Which of these missions already have their mail of this kind and date (the scheduler skips them). */
  async deliveredAmong(missionIds: string[], kind: CoachMailKind, date: string): Promise<Set<string>> {
    const found = new Set<string>();
    for (let i = 0; i < missionIds.length; i += 500) {
      const rows = await this.deliveries
        .createQueryBuilder('d')
        .select('d.mission_id', 'mission_id')
        .where('d.kind = :kind AND d.date = :date', { kind, date })
        .andWhere('d.mission_id IN (:...ids)', { ids: missionIds.slice(i, i + 500) })
        .getRawMany<{ mission_id: string }>();
      rows.forEach((row) => found.add(row.mission_id));
    }
    return found;
  }

  private async deliver(
    mission: Mission,
    kind: CoachMailKind,
    date: string,
    render: () => Promise<RenderedMail | null>,
  ): Promise<boolean> {
    if (!wantsMail(mission, kind) || (await this.deliveries.existsBy({ missionId: mission.id, kind, date }))) {
      return false;
    }
    const [user, rendered] = await Promise.all([this.users.findOneBy({ id: mission.userId }), render()]);
    if (!user?.isActive || !rendered) {
      return false;
    }
    const message = { to: user.email, userId: user.id, ...rendered };
    const queued = await runTransactionScript(this.db, (dialect) =>
      recordAndQueue(mission.id, kind, date, dialect, (d) => this.mail.outboxInsert(message, d)),
    );
    if (queued) {
      this.mail.wake();
    }
    return queued;
  }
}

/** The delivery record, then the outbox row only when the record is new: one transaction. */
function* recordAndQueue(
  missionId: string,
  kind: CoachMailKind,
  date: string,
  dialect: Dialect,
  outboxInsert: (dialect: Dialect) => ReturnType<MailService['outboxInsert']>,
): TransactionScript<boolean> {
  const insert = outboxInsert(dialect);
  const recorded = yield {
    sql:
      'INSERT INTO coach_deliveries (mission_id, kind, date, mail_id, created_at) ' +
      'VALUES (:missionId, :kind, :date, :mailId, :createdAt) ON CONFLICT DO NOTHING',
    params: { missionId, kind, date, mailId: insert.id, createdAt: timestampParam(monotonicNow(), dialect) },
  };
  if (recorded.affected !== 1) {
    return false;
  }
  yield insert;
  return true;
}
