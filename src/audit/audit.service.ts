import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { And, FindOptionsWhere, LessThanOrEqual, MoreThanOrEqual, Repository } from 'typeorm';
import { ErrorResponseHook } from '../common/all-exceptions.filter';
import { monotonicNow } from '../common/clock';
import type { Page } from '../common/paging';
import { currentClient, requestId } from '../common/request-context';
import { currentAuditNotes, takeAuditRoute } from './audit-notes';
import { AuditLog } from './audit-log.entity';
import type { Redactor } from './audit-scrub';
import { AuditWriter } from './audit-writer';

export interface AuditEvent {
  action: string;
  statusCode: number;
  userId?: number | null;
  resource?: string | null;
  resourceId?: string | null;
  details?: string | null;
  /** Scrubs the texts the request brought (user agent, request id, resource id, details) before they are stored. */
  redact?: Redactor;
}

export interface AuditFilter {
  userId?: number;
  action?: string;
  resource?: string;
  requestId?: string;
  statusCode?: number;
  since?: Date;
  until?: Date;
}

/** Cut to the column's length, NUL replaced (PostgreSQL refuses it in text, and a path id may carry one). */
const storable = (value: string | null | undefined, max: number): string | null =>
  value === null || value === undefined ? null : value.slice(0, max).replaceAll('\u0000', '\ufffd');

/** Writes and reads audit rows. Append-only: nothing here updates or deletes one (see the audit:prune command). */
@Injectable()
export class AuditService implements ErrorResponseHook {
  private readonly logger = new Logger(AuditService.name);

  constructor(
    @InjectRepository(AuditLog) private readonly logs: Repository<AuditLog>,
    private readonly writer: AuditWriter,
  ) {}

  /**
   * The row for a request that reached a route, written once whatever path it ends on (the interceptor on
   * success and handler errors, the exception filter's hook for refusals before the interceptor).
   */
  async recordRequest(statusCode: number, resourceId?: string): Promise<void> {
    const route = takeAuditRoute();
    if (!route) {
      return;
    }
    const notes = currentAuditNotes();
    await this.recordEvent({
      action: notes.action ?? route.failureActions?.[statusCode] ?? route.action,
      statusCode,
      userId: notes.userId ?? null,
      resource: notes.resource ?? route.resource ?? null,
      resourceId: notes.resourceId ?? resourceId ?? null,
      details: notes.details ?? null,
      redact: notes.redact,
    });
  }

  /** The exception filter's hook: the row of a request refused before the interceptor ran. */
  beforeErrorResponse(status: number): Promise<void> {
    return this.recordRequest(status);
  }

  /** A row for an event inside a request (e.g. `refresh_reuse_detected`), with that request's client and id. */
  async recordEvent(event: AuditEvent): Promise<void> {
    const client = currentClient();
    const id = requestId();
    const redact = (value: string | null | undefined): string | null | undefined =>
      event.redact && typeof value === 'string' ? event.redact(value) : value;
    try {
      await this.writer.write({
        userId: event.userId ?? null,
        action: event.action,
        resource: storable(event.resource, 100),
        resourceId: storable(redact(event.resourceId), 255),
        details: storable(redact(event.details), 1000),
        ipAddress: storable(client.ip, 45),
        userAgent: storable(redact(client.userAgent), 500),
        statusCode: event.statusCode,
        requestId: redact(id) ?? null,
        createdAt: monotonicNow(),
      });
    } catch (error) {
      this.logger.error(`Audit write failed [request_id=${id}]: ${(error as Error).message}`);
      throw error;
    }
  }

  /** Rows matching every given filter, newest first (ties: the later-created row first). */
  async list(filter: AuditFilter, skip: number, limit: number): Promise<Page<AuditLog>> {
    // TypeORM 1.x refuses `undefined` in a where clause: only the filters given become conditions.
    const where: FindOptionsWhere<AuditLog> = Object.fromEntries(
      Object.entries({
        userId: filter.userId,
        action: filter.action,
        resource: filter.resource,
        requestId: filter.requestId,
        statusCode: filter.statusCode,
      }).filter(([, value]) => value !== undefined),
    );
    if (filter.since && filter.until) {
      where.createdAt = And(MoreThanOrEqual(filter.since), LessThanOrEqual(filter.until));
    } else if (filter.since) {
      where.createdAt = MoreThanOrEqual(filter.since);
    } else if (filter.until) {
      where.createdAt = LessThanOrEqual(filter.until);
    }
    const [items, total] = await this.logs.findAndCount({
      where,
      order: { createdAt: 'DESC', id: 'DESC' },
      skip,
      take: limit,
    });
    return { items, total, skip, limit };
  }
}
