import type { Type } from '@nestjs/common';
import { DataSource, type EntityTarget, type FindManyOptions, In, IsNull, MoreThan, type ObjectLiteral } from 'typeorm';
import { ActivityStreamsResponseDto, toActivityStreamsResponse } from '../activities/dto/activity-streams-response.dto';
import { toActivityResponse } from '../activities/dto/activity-response.dto';
import { ActivityStreamsRecord } from '../activities/activity-streams.entity';
import { Activity } from '../activities/activity.entity';
import { decodeStreams } from '../activities/streams-codec';
import { AthleteService } from '../athlete/athlete.service';
import { AthleteResponseDto, toAthleteResponse } from '../athlete/dto/athlete-response.dto';
import { AuditLog } from '../audit/audit-log.entity';
import { AuditLogResponseDto, toAuditLogResponse } from '../audit/dto/audit-log-response.dto';
import { CoachRunResponseDto, toCoachRunResponse } from '../coach/dto/coach-run-response.dto';
import { CoachRun } from '../coach/coach-run.entity';
import { ConnectionResponseDto, toConnectionResponse } from '../connections/dto/connection-response.dto';
import { ProviderConnection } from '../connections/provider-connection.entity';
import { MissionDraftResponseDto, toMissionDraftResponse } from '../mission-builder/dto/mission-draft-response.dto';
import { MissionResponseDto, toMissionResponse } from '../missions/dto/mission-response.dto';
import { MissionDraftRecord } from '../mission-builder/mission-draft-record.entity';
import { Mission } from '../missions/mission.entity';
import { SessionResponseDto, toSessionResponse } from '../sessions/dto/session-response.dto';
import { Session } from '../sessions/session.entity';
import { toUserResponse, UserResponseDto } from '../users/dto/user-response.dto';
import { User } from '../users/user.entity';
import { toWellnessDayResponse, WellnessDayResponseDto } from '../wellness/dto/wellness-day-response.dto';
import { WellnessDay } from '../wellness/wellness-day.entity';
import { ActivityExportDto } from './dto/activity-export.dto';

/** What a section reads with: the database, whose account, and the session asking (for `current`). */
export interface ExportContext {
  db: DataSource;
  athlete: AthleteService;
  userId: number;
  sessionId: number;
  now: Date;
}

/** One key of the export document: a single object, or a list read page by page. */
export type ExportSection = { key: string; dto: Type<unknown>; description: string } & (
  | { list: false; read: (ctx: ExportContext) => Promise<unknown> }
  | { list: true; pages: (ctx: ExportContext) => AsyncIterable<unknown[]> }
);

/** Rows of one entity in pages of `pageSize`, each page mapped through the feature's own response mapper. */
function paged<E extends ObjectLiteral>(
  entity: EntityTarget<E>,
  query: (ctx: ExportContext) => Pick<FindManyOptions<E>, 'where' | 'order'>,
  toItems: (rows: E[], ctx: ExportContext) => unknown[] | Promise<unknown[]>,
  pageSize = 200,
): (ctx: ExportContext) => AsyncIterable<unknown[]> {
  return async function* (ctx) {
    const repository = ctx.db.getRepository(entity);
    for (let skip = 0; ; skip += pageSize) {
      const rows = await repository.find({ ...query(ctx), skip, take: pageSize });
      yield await toItems(rows, ctx);
      if (rows.length < pageSize) {
        return;
      }
    }
  };
}

/** A page of activities with their streams, decompressed (in the thread pool) into the document. */
async function withStreams(activities: Activity[], ctx: ExportContext): Promise<ActivityExportDto[]> {
  const records = await ctx.db
    .getRepository(ActivityStreamsRecord)
    .findBy({ activityId: In(activities.map((activity) => activity.id)) });
  // One at a time: each decoded stream is parsed on the main thread (several ms for a long ride), and ten
  // finishing together would hold the event loop for all ten.
  const streams = new Map<string, ActivityStreamsResponseDto>();
  for (const record of records) {
    streams.set(record.activityId, toActivityStreamsResponse(await decodeStreams(record.data)));
  }
  return activities.map((activity) => ({ ...toActivityResponse(activity), streams: streams.get(activity.id) ?? null }));
}

/**
 * The export document's sections, in document order: everything the account owns, each item in the shape
 * its own route answers (so no password hash, token, jti, TOTP secret or sealed Strava token can appear).
 * A feature that stores something new for a user adds its section here.
 */
export const EXPORT_SECTIONS: ExportSection[] = [
  {
    key: 'user',
    dto: UserResponseDto,
    description: 'The account, as GET /users/me answers it',
    list: false,
    read: async ({ db, userId }) => toUserResponse(await db.getRepository(User).findOneByOrFail({ id: userId })),
  },
  {
    key: 'athlete',
    dto: AthleteResponseDto,
    description: 'The athlete profile and FTP history, as GET /athlete answers them',
    list: false,
    read: async ({ athlete, userId }) => toAthleteResponse(await athlete.settingsOf(userId)),
  },
  {
    key: 'sessions',
    dto: SessionResponseDto,
    description: 'Every session (login) of the account, oldest first, as GET /sessions lists them',
    list: true,
    pages: paged(
      Session,
      ({ userId }) => ({ where: { userId }, order: { createdAt: 'ASC', id: 'ASC' } }),
      (rows, { sessionId, now }) => rows.map((session) => toSessionResponse(session, sessionId, now.getTime())),
    ),
  },
  {
    key: 'missions',
    dto: MissionResponseDto,
    description: 'Every mission, oldest first',
    list: true,
    pages: paged(
      Mission,
      ({ userId }) => ({ where: { userId }, order: { createdAt: 'ASC', id: 'ASC' } }),
      (rows) => rows.map(toMissionResponse),
    ),
  },
  {
    key: 'mission_drafts',
    dto: MissionDraftResponseDto,
    description: 'Pending mission drafts (not confirmed, not expired), oldest first',
    list: true,
    pages: paged(
      MissionDraftRecord,
      ({ userId, now }) => ({
        where: { userId, missionId: IsNull(), expiresAt: MoreThan(now) },
        order: { createdAt: 'ASC', id: 'ASC' },
      }),
      (rows) => rows.map(toMissionDraftResponse),
    ),
  },
  {
    key: 'activities',
    dto: ActivityExportDto,
    description: 'Every activity with its recorded streams, oldest first',
    list: true,
    // Small pages: a long ride's streams are several hundred kilobytes of JSON.
    pages: paged(
      Activity,
      ({ userId }) => ({ where: { userId }, order: { startTime: 'ASC', id: 'ASC' } }),
      withStreams,
      10,
    ),
  },
  {
    key: 'wellness_days',
    dto: WellnessDayResponseDto,
    description: 'Every wellness day, oldest first',
    list: true,
    pages: paged(
      WellnessDay,
      ({ userId }) => ({ where: { userId }, order: { date: 'ASC' } }),
      (rows) => rows.map(toWellnessDayResponse),
    ),
  },
  {
    key: 'coach_runs',
    dto: CoachRunResponseDto,
    description: 'The daily briefings of every mission, by date, as GET /missions/{id}/runs/{date} answers them',
    list: true,
    pages: paged(
      CoachRun,
      ({ userId }) => ({ where: { mission: { userId } }, order: { date: 'ASC', missionId: 'ASC' } }),
      (rows) => rows.map(toCoachRunResponse),
    ),
  },
  {
    key: 'connections',
    dto: ConnectionResponseDto,
    description: 'Connections to other services (Strava), without their tokens',
    list: true,
    pages: paged(
      ProviderConnection,
      ({ userId }) => ({ where: { userId }, order: { connectedAt: 'ASC', id: 'ASC' } }),
      (rows) => rows.map(toConnectionResponse),
    ),
  },
  {
    key: 'audit_logs',
    dto: AuditLogResponseDto,
    description: "The account's own audit rows (requests made with its tokens), oldest first",
    list: true,
    pages: paged(
      AuditLog,
      ({ userId }) => ({ where: { userId }, order: { id: 'ASC' } }),
      (rows) => rows.map(toAuditLogResponse),
      500,
    ),
  },
];
