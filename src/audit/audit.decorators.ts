import { SetMetadata } from '@nestjs/common';

export const AUDIT_ROUTE = 'lr:audit';
export const SKIP_AUDIT = 'lr:skipAudit';

/** What the audit trail records about the route a request reached. */
export interface AuditRoute {
  action: string;
  resource?: string;
  /** Another action name for given failure statuses, e.g. `{ 401: 'login_failed' }`. */
  failureActions?: Partial<Record<number, string>>;
}

/** Names the audit action of a route (default: `<controller>.<handler>`). */
export const Audit = (action: string, options: Omit<AuditRoute, 'action'> = {}): MethodDecorator =>
  SetMetadata(AUDIT_ROUTE, { action, ...options });

/** No audit row for this route: health, metrics, root and docs only. */
export const SkipAudit = (): MethodDecorator & ClassDecorator => SetMetadata(SKIP_AUDIT, true);
