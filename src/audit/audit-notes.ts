import { ClsServiceManager, ClsStore } from 'nestjs-cls';
import type { Redactor } from './audit-scrub';
import type { AuditRoute } from './audit.decorators';

/** What a service learns while handling a request that belongs in its audit row. */
export interface AuditNotes {
  userId?: number;
  /** Overrides the route's action once the outcome is known (`account_deleted` for a completed `user.delete`). */
  action?: string;
  /** Overrides the route's declared resource when the row is about something else. */
  resource?: string;
  resourceId?: string;
  details?: string;
  /** Applied to the row's text taken from the request (user agent, request id, path id): a deleted account's last row. */
  redact?: Redactor;
}

/** The audit trail's keys in the request store (common/request-context.ts). */
interface AuditStore extends ClsStore {
  /** Set once the route is known; null on @SkipAudit routes; absent on 404s and pre-routing refusals. */
  auditRoute?: AuditRoute | null;
  auditWritten?: boolean;
  auditNotes?: AuditNotes;
}

const store = () => ClsServiceManager.getClsService<AuditStore>();

/**
 * Adds facts to the current request's audit row (the user who logged in, the id created, a short detail).
 * Outside a request (the scheduler, admin commands) there is no row, and nothing happens.
 */
export function noteForAudit(notes: AuditNotes): void {
  const cls = store();
  if (cls.isActive()) {
    cls.set('auditNotes', { ...cls.get('auditNotes'), ...notes });
  }
}

export function currentAuditNotes(): AuditNotes {
  const cls = store();
  return (cls.isActive() ? cls.get('auditNotes') : undefined) ?? {};
}

export function setAuditRoute(route: AuditRoute | null): void {
  store().set('auditRoute', route);
}

/** Whether the current request has a row still to be written (false on a route that skips auditing). */
export function auditRowPending(): boolean {
  const cls = store();
  return cls.isActive() && Boolean(cls.get('auditRoute')) && !cls.get('auditWritten');
}

/** The route of a request whose row is still to be written, marking it written; else null. */
export function takeAuditRoute(): AuditRoute | null {
  const cls = store();
  const route = cls.isActive() ? cls.get('auditRoute') : undefined;
  if (!route || cls.get('auditWritten')) {
    return null;
  }
  cls.set('auditWritten', true);
  return route;
}
