import type { Request } from 'express';
import type { User } from '../users/user.entity';

/** What the audit trail needs to know about the route a request reached. */
export interface AuditMeta {
  action: string;
  resource?: string;
  /** Another action name for given failure statuses, e.g. `{ 401: 'login_failed' }`. */
  failureActions?: Partial<Record<number, string>>;
}

export interface AuthContext {
  user: User;
  sessionId: number;
  jti: string;
}

/** The fields this app adds to Express's request, in one place. */
export interface AppRequest extends Request {
  requestId: string;
  auth?: AuthContext;
  /** The user a valid token named, even when the request is then refused (403). */
  tokenUserId?: number;
  /** Set once the route is known (by RouteContextGuard); absent on 404s and pre-routing refusals. */
  audit?: { meta: AuditMeta | null; written: boolean; resourceId?: string; details?: string };
}
