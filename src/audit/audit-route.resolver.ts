import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AUDIT_ROUTE, AuditRoute, SKIP_AUDIT } from './audit.decorators';
import { perRoute } from '../common/route-cache';
import { setAuditRoute } from './audit-notes';

/**
 * Names the route's audit action (its @Audit, else `<controller>.<handler>`) in the request store. It is
 * registered as the first global guard only because guards are the first step that knows the handler:
 * a request refused by a later guard (401, 403, 429) must still get its row. It never refuses anything.
 */
@Injectable()
export class AuditRouteResolver implements CanActivate {
  /** The route's audit route, null when it skips auditing; resolved on its first request. */
  private readonly routeOf = perRoute((handler, controller): AuditRoute | null => {
    const skip = this.reflector.getAllAndOverride<boolean>(SKIP_AUDIT, [handler, controller]) ?? false;
    const declared = this.reflector.get<AuditRoute | undefined>(AUDIT_ROUTE, handler);
    const fallback: AuditRoute = {
      action: `${controller.name.replace(/Controller$/, '').toLowerCase()}.${handler.name}`,
    };
    return skip ? null : (declared ?? fallback);
  });

  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    setAuditRoute(this.routeOf(context));
    return true;
  }
}
