import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Repository, SelectQueryBuilder } from 'typeorm';
import { noteForAudit } from '../audit/audit-notes';
import { monotonicNow } from '../common/clock';
import type { User } from '../users/user.entity';
import type { CreateMissionDto } from './dto/create-mission.dto';
import type { UpdateMissionDto } from './dto/update-mission.dto';
import { Mission } from './mission.entity';
import { INITIAL_MISSION_STATE } from './mission-state-machine';
import { apiError, ERRORS } from '../common/error-codes';
import { columnReader, entityInsert } from '../database/entity-rows';

export const MISSION_NOT_FOUND = ERRORS.mission_not_found.detail;

/** The fields of a new mission; the id, owner, state and timestamps are the service's. */
export type NewMission = Pick<
  Mission,
  | 'name'
  | 'missionType'
  | 'eventStartDate'
  | 'eventEndDate'
  | 'prepStartDate'
  | 'prepEndDate'
  | 'pointsSchema'
  | 'timezone'
  | 'constraints'
  | 'notificationPreferences'
>;

/** Each field of the mission bodies and the column it sets. */
const COLUMN_OF: Record<keyof UpdateMissionDto, keyof NewMission> = {
  name: 'name',
  mission_type: 'missionType',
  event_start_date: 'eventStartDate',
  event_end_date: 'eventEndDate',
  prep_start_date: 'prepStartDate',
  prep_end_date: 'prepEndDate',
  points_schema: 'pointsSchema',
  timezone: 'timezone',
  constraints: 'constraints',
  notification_preferences: 'notificationPreferences',
};

type MissionDates = Pick<Mission, 'eventStartDate' | 'eventEndDate' | 'prepStartDate' | 'prepEndDate'>;

/** The rules that need several fields: 400, checked on the whole mission (after a partial update too). */
export function checkMissionDates(dates: MissionDates): void {
  if (dates.eventEndDate < dates.eventStartDate) {
    throw apiError(
      'invalid_date_range',
      `event_end_date (${dates.eventEndDate}) must not be before event_start_date (${dates.eventStartDate})`,
    );
  }
  if (dates.prepStartDate && dates.prepEndDate && dates.prepEndDate <= dates.prepStartDate) {
    throw apiError(
      'invalid_date_range',
      `prep_end_date (${dates.prepEndDate}) must be after prep_start_date (${dates.prepStartDate})`,
    );
  }
}

/** A mission belongs to its creator: another user (admins included) gets 403, an unknown id 404. */
@Injectable()
export class MissionsService {
  private statements?: MissionStatements;

  constructor(@InjectRepository(Mission) private readonly missions: Repository<Mission>) {}

  /** The caller's missions, oldest first (creation order breaks ties). */
  async list(user: User, skip: number, limit: number): Promise<Mission[]> {
    const { list, hydrate } = this.sql();
    const rows = await this.missions.query<Record<string, unknown>[]>(list, [user.id, limit, skip]);
    const items = rows.map(hydrate);
    noteForAudit({ details: `count=${items.length}` });
    return items;
  }

  create(user: User, dto: CreateMissionDto): Promise<Mission> {
    return this.insert(user.id, {
      name: dto.name,
      missionType: dto.mission_type,
      eventStartDate: dto.event_start_date,
      eventEndDate: dto.event_end_date,
      prepStartDate: dto.prep_start_date ?? null,
      prepEndDate: dto.prep_end_date ?? null,
      pointsSchema: dto.points_schema ?? {},
      timezone: dto.timezone ?? 'UTC',
      constraints: dto.constraints ?? null,
      notificationPreferences: dto.notification_preferences ?? null,
    });
  }

  /** Inserts a mission in the initial state (also used by the mission builder's confirmation). */
  async insert(userId: number, fields: NewMission): Promise<Mission> {
    checkMissionDates(fields);
    const now = monotonicNow();
    const id = randomUUID();
    const { insert } = this.sql();
    const mission: Omit<Mission, 'user'> = {
      ...fields,
      id,
      userId,
      state: INITIAL_MISSION_STATE,
      createdAt: now,
      updatedAt: now,
    };
    await this.missions.query(insert.sql, insert.parameters(mission));
    // Read back, so the answer is what the database holds (its JSON and date forms), as before.
    return this.findById(id);
  }

  async findOwned(user: User, id: string): Promise<Mission> {
    const mission = await this.byId(id);
    if (!mission) {
      throw apiError('mission_not_found');
    }
    if (mission.userId !== user.id) {
      throw apiError('mission_forbidden');
    }
    return mission;
  }

  async findById(id: string): Promise<Mission> {
    const mission = await this.byId(id);
    if (!mission) {
      throw apiError('mission_not_found');
    }
    return mission;
  }

  /** Only the fields sent change (the state never does here); the date rules hold for the result. */
  async update(user: User, id: string, dto: UpdateMissionDto): Promise<Mission> {
    const mission = await this.findOwned(user, id);
    const changes: Partial<NewMission> = {};
    // In the body's documented order, whatever order the client sent them in (the audit row lists them).
    const sent = (Object.keys(COLUMN_OF) as (keyof UpdateMissionDto)[]).filter((field) => dto[field] !== undefined);
    for (const field of sent) {
      Object.assign(changes, { [COLUMN_OF[field]]: dto[field] });
    }
    noteForAudit({ details: `fields=${sent.join(',') || 'none'}` });
    if (sent.length === 0) {
      return mission;
    }
    checkMissionDates({ ...mission, ...changes });
    await this.missions.update({ id: mission.id }, { ...changes, updatedAt: monotonicNow() });
    return this.findById(mission.id);
  }

  async remove(user: User, id: string): Promise<void> {
    const mission = await this.findOwned(user, id);
    await this.missions.delete({ id: mission.id });
  }

  /** Removes a mission by id whoever owns it (the losing side of a draft confirmation race). */
  async discard(id: string): Promise<void> {
    await this.missions.delete({ id });
  }

  private async byId(id: string): Promise<Mission | null> {
    const { byId, hydrate } = this.sql();
    const rows = await this.missions.query<Record<string, unknown>[]>(byId, [id]);
    return rows.length > 0 ? hydrate(rows[0]) : null;
  }

  private sql(): MissionStatements {
    return (this.statements ??= missionStatements(this.missions));
  }
}

/**
 * The statements of the missions' hot paths (GET /missions, POST /missions, every `/missions/{id}` route),
 * built once: the SELECTs by TypeORM's query builder, the INSERT from the entity's metadata; rows and
 * parameters go through the entity's metadata (database/entity-rows.ts), as TypeORM's own find and insert
 * would map them. Building and hydrating them through the query builder on every request was a quarter
 * of the server's CPU on those routes.
 */
interface MissionStatements {
  /** Parameters: user id, limit, skip. */
  list: string;
  /** Parameter: mission id. */
  byId: string;
  insert: ReturnType<typeof entityInsert>;
  hydrate: (row: Record<string, unknown>) => Mission;
}

function missionStatements(missions: Repository<Mission>): MissionStatements {
  const { driver } = missions.manager.connection;
  const select = (): SelectQueryBuilder<Mission> => missions.createQueryBuilder('mission');
  // The driver's own placeholders, left alone by the builder (it would write a number parameter into
  // the SQL on SQLite).
  const [list] = select()
    .where(`mission.userId = ${driver.createParameter('userId', 0)}`)
    .orderBy('mission.createdAt', 'ASC')
    .addOrderBy('mission.id', 'ASC')
    .getQueryAndParameters();
  const [byId] = select()
    .where(`mission.id = ${driver.createParameter('id', 0)}`)
    .getQueryAndParameters();
  const read = columnReader(missions.metadata, 'mission');
  return {
    list: `${list} LIMIT ${driver.createParameter('limit', 1)} OFFSET ${driver.createParameter('skip', 2)}`,
    byId,
    insert: entityInsert(missions.metadata, driver),
    hydrate: (row) => read(row, driver) as Mission,
  };
}
