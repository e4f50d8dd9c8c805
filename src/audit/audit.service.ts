import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { currentAuditNotes } from '../common/audit-notes';
import { monotonicNow } from '../common/clock';
import type { AppRequest } from '../common/request-context';
import { AuditLog } from './audit-log.entity';

export interface AuditEvent {
  action: string;
  statusCode: number;
  userId?: number | null;
  resource?: string | null;
  resourceId?: string | null;
  details?: string | null;
}

const truncate = (value: string | null | undefined, max: number): string | null =>
  value === null || value === undefined ? null : value.slice(0, max);

/** Writes audit rows. Append-only: nothing here updates or deletes one (see the audit:prune command). */
@Injectable()
export class AuditService {
  private readonly logger = new Logger(AuditService.name);

  constructor(@InjectRepository(AuditLog) private readonly logs: Repository<AuditLog>) {}

  /**
   * The row for a request that reached a route, written once whatever path it ends on (interceptor on
   * success and handler errors, exception filter for refusals before the interceptor).
   */
  async recordRequest(req: AppRequest, statusCode: number, resourceId?: string): Promise<void> {
    const audit = req.audit;
    if (!audit?.meta || audit.written) {
      return;
    }
    audit.written = true;
    const meta = audit.meta;
    const notes = currentAuditNotes();
    await this.recordEvent({
      action: meta.failureActions?.[statusCode] ?? meta.action,
      statusCode,
      userId: notes?.userId ?? req.auth?.user.id ?? req.tokenUserId ?? null,
      resource: meta.resource ?? null,
      resourceId: notes?.resourceId ?? resourceId ?? null,
      details: notes?.details ?? null,
    });
  }

  /** A row for an event inside a request (e.g. `refresh_reuse_detected`), with that request's client and id. */
  async recordEvent(event: AuditEvent): Promise<void> {
    const notes = currentAuditNotes();
    try {
      await this.logs.insert({
        userId: event.userId ?? null,
        action: event.action,
        resource: truncate(event.resource, 100),
        resourceId: truncate(event.resourceId, 255),
        details: truncate(event.details, 1000),
        ipAddress: truncate(notes?.ip, 45),
        userAgent: truncate(notes?.userAgent, 500),
        statusCode: event.statusCode,
        requestId: notes?.requestId ?? null,
        createdAt: monotonicNow(),
      });
    } catch (error) {
      this.logger.error(`Audit write failed [request_id=${notes?.requestId}]: ${(error as Error).message}`);
      throw error;
    }
  }
}
