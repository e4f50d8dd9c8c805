import { AuditLog } from '../audit/audit-log.entity';
import { MailOutboxRecord } from '../mail/mail-outbox.entity';
import { MissionDraftRecord } from '../missions/mission-draft-record.entity';
import { Mission } from '../missions/mission.entity';
import { Session } from '../sessions/session.entity';
import { User } from '../users/user.entity';

/** Every entity the DataSource knows; a feature adds its entity here. */
export const ENTITIES = [User, Session, AuditLog, Mission, MissionDraftRecord, MailOutboxRecord];
