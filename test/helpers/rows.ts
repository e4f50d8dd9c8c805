import type { DataSource } from 'typeorm';
import { ActivityStreamsRecord } from '../../src/activities/activity-streams.entity';
import { Activity } from '../../src/activities/activity.entity';
import { AuditLog } from '../../src/audit/audit-log.entity';
import { Session } from '../../src/sessions/session.entity';
import { claimsOf } from './tokens';

/** Rows read through the entities, so a suite runs unchanged on SQLite and PostgreSQL. */
export const auditRowsOf = (db: DataSource, requestId: string): Promise<AuditLog[]> =>
  db.getRepository(AuditLog).find({ where: { requestId }, order: { id: 'ASC' } });

/** Every session row of the family (the login) a refresh token belongs to, oldest first. */
export async function familyRowsOf(db: DataSource, refreshToken: string): Promise<Session[]> {
  const repo = db.getRepository(Session);
  const session = await repo.findOneByOrFail({ refreshTokenJti: String(claimsOf(refreshToken).jti) });
  return repo.find({ where: { familyId: session.familyId }, order: { id: 'ASC' } });
}

/** Rows in the two activity tables (every user), to show that a refused upload stored nothing. */
export async function activityRowCounts(db: DataSource): Promise<{ activities: number; activity_streams: number }> {
  return {
    activities: await db.getRepository(Activity).count(),
    activity_streams: await db.getRepository(ActivityStreamsRecord).count(),
  };
}
