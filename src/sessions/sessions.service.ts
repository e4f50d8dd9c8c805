import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { IsNull, Repository } from 'typeorm';
import { monotonicNow } from '../common/clock';
import type { ClientInfo } from '../common/decorators';
import { AppConfig } from '../config/app-config';
import { Session } from './session.entity';
import { apiError } from '../common/error-codes';
import { columnReader } from '../database/entity-rows';

/** Session rows: creation at login, rotation at refresh, revocation, and the caller's list. */
@Injectable()
export class SessionsService {
  private check?: SessionCheck;

  constructor(
    @InjectRepository(Session) private readonly sessions: Repository<Session>,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /** A new session: a new family at login, the predecessor's family on rotation. */
  async create(userId: number, client: ClientInfo, familyId: string = randomUUID()): Promise<Session> {
    const createdAt = monotonicNow();
    const session = this.sessions.create({
      userId,
      familyId,
      accessTokenJti: randomUUID(),
      refreshTokenJti: randomUUID(),
      isValid: true,
      createdAt,
      // The refresh token's lifetime: a login lasts as long as its refresh token can renew it.
      expiresAt: new Date(createdAt.getTime() + this.config.REFRESH_TOKEN_EXPIRE_DAYS * 86_400_000),
      rotatedAt: null,
      replacedById: null,
      ipAddress: client.ip?.slice(0, 45) ?? null,
      userAgent: client.userAgent,
    });
    return this.sessions.save(session, { transaction: false });
  }

  /** The live session behind an access token, with its user; null when revoked, spent or expired. */
  async findActiveByAccessJti(jti: string): Promise<Session | null> {
    // Runs on every authenticated request: the joined SELECT TypeORM's query builder writes, built once
    // (sessionCheck), then sent as plain SQL and mapped by the entities' metadata. Building the query and
    // mapping it through the query builder each time was most of TypeORM's share of a request's CPU.
    const check = (this.check ??= sessionCheck(this.sessions));
    const rows = await this.sessions.query<Record<string, unknown>[]>(check.sql, [jti]);
    const session = rows.length > 0 ? check.hydrate(rows[0]) : null;
    if (!session || !session.isValid || session.expiresAt.getTime() <= Date.now()) {
      return null;
    }
    return session;
  }

  findByRefreshJti(jti: string): Promise<Session | null> {
    return this.sessions.findOne({ where: { refreshTokenJti: jti }, relations: { user: true } });
  }

  findById(id: number): Promise<Session | null> {
    return this.sessions.findOne({ where: { id }, relations: { user: true } });
  }

  /**
   * The user's sessions as logins: the newest row of each family (a refresh spends its row and
   * continues the login in a successor, whose id and created_at the list shows), newest first.
   */
  async listForUser(userId: number, skip = 0, limit = 100): Promise<Session[]> {
    return this.sessions.find({
      where: { userId, rotatedAt: IsNull() },
      order: { createdAt: 'DESC', id: 'DESC' },
      skip,
      take: limit,
    });
  }

  async revoke(sessionId: number): Promise<void> {
    await this.sessions.update({ id: sessionId }, { isValid: false });
  }

  /**
   * Revokes one of the user's sessions with everything of its login (its family): revoking a session
   * id a client listed before a refresh still ends the refreshed successor. Another user's session is a
   * 404, its existence not revealed.
   */
  async revokeOwned(userId: number, sessionId: number): Promise<void> {
    const session = await this.sessions.findOneBy({ id: sessionId, userId });
    if (!session) {
      throw apiError('session_not_found');
    }
    await this.revokeFamily(session.familyId);
  }

  async revokeAllForUser(userId: number, exceptSessionId?: number): Promise<number> {
    const query = this.sessions
      .createQueryBuilder()
      .update(Session)
      .set({ isValid: false })
      .where('user_id = :userId AND is_valid = :valid', { userId, valid: true });
    if (exceptSessionId !== undefined) {
      query.andWhere('id <> :exceptSessionId', { exceptSessionId });
    }
    return (await query.execute()).affected ?? 0;
  }

  async revokeFamily(familyId: string): Promise<number> {
    return (await this.sessions.update({ familyId, isValid: true }, { isValid: false })).affected ?? 0;
  }

  /**
   * Spends a session in favour of its successor in ONE conditional UPDATE, so of two refreshes racing on
   * one token exactly one wins (no multi-statement transaction: TypeORM shares one connection on SQLite,
   * where concurrent transactions would interleave). Returns false when another refresh got there first.
   */
  async spend(sessionId: number, successorId: number): Promise<boolean> {
    const result = await this.sessions
      .createQueryBuilder()
      .update(Session)
      .set({ isValid: false, rotatedAt: monotonicNow(), replacedById: successorId })
      .where('id = :sessionId AND is_valid = :valid AND rotated_at IS NULL', { sessionId, valid: true })
      .execute();
    return result.affected === 1;
  }

  async delete(sessionId: number): Promise<void> {
    await this.sessions.delete({ id: sessionId });
  }
}

/** The one query behind every access token: a session by its access-token id, joined with its user. */
interface SessionCheck {
  sql: string;
  hydrate(row: Record<string, unknown>): Session;
}

function sessionCheck(sessions: Repository<Session>): SessionCheck {
  const [sql] = sessions
    .createQueryBuilder('session')
    .innerJoinAndSelect('session.user', 'user')
    .where('session.access_token_jti = :jti', { jti: '' })
    .getQueryAndParameters();
  const { driver } = sessions.manager.connection;
  const userMetadata = sessions.metadata.findRelationWithPropertyPath('user')!.inverseEntityMetadata;
  const readSession = columnReader(sessions.metadata, 'session');
  const readUser = columnReader(userMetadata, 'user');
  return {
    sql,
    hydrate: (row) => {
      const session = readSession(row, driver) as Session;
      session.user = readUser(row, driver) as Session['user'];
      return session;
    },
  };
}
