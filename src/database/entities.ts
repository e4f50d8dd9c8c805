import { ActivityStreamsRecord } from '../activities/activity-streams.entity';
import { Activity } from '../activities/activity.entity';
import { AthleteProfile } from '../athlete/athlete-profile.entity';
import { FtpEntry } from '../athlete/ftp-entry.entity';
import { AccountToken } from '../account/account-token.entity';
import { MfaChallenge } from '../mfa/mfa-challenge.entity';
import { MfaRecoveryCode } from '../mfa/mfa-recovery-code.entity';
import { UserMfa } from '../mfa/user-mfa.entity';
import { AuditLog } from '../audit/audit-log.entity';
import { CoachDelivery } from '../coach/coach-delivery.entity';
import { CoachRun } from '../coach/coach-run.entity';
import { OAuthState } from '../connections/oauth-state.entity';
import { ProviderConnection } from '../connections/provider-connection.entity';
import { ProviderRateLimit } from '../connections/provider-rate-limit.entity';
import { StravaWebhookEvent } from '../connections/strava-webhook-event.entity';
import { MailOutboxRecord } from '../mail/mail-outbox.entity';
import { MissionDraftRecord } from '../mission-builder/mission-draft-record.entity';
import { Mission } from '../missions/mission.entity';
import { Session } from '../sessions/session.entity';
import { User } from '../users/user.entity';
import { WellnessDay } from '../wellness/wellness-day.entity';

/** Every entity the DataSource knows; a feature adds its entity here. */
export const ENTITIES = [
  User,
  Session,
  AuditLog,
  Mission,
  MissionDraftRecord,
  MailOutboxRecord,
  AthleteProfile,
  FtpEntry,
  Activity,
  ActivityStreamsRecord,
  WellnessDay,
  AccountToken,
  ProviderConnection,
  OAuthState,
  StravaWebhookEvent,
  ProviderRateLimit,
  UserMfa,
  MfaRecoveryCode,
  MfaChallenge,
  CoachRun,
  CoachDelivery,
];
