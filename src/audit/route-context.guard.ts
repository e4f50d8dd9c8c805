import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AUDIT_META, SKIP_AUDIT } from '../common/decorators';
import type { AppRequest, AuditMeta } from '../common/request-context';

/**
 * Never refuses anything: it runs first among the global guards and names the route's audit action on
 * the request, so that a request refused by a later guard (401, 403, 429) still gets a row.
 */
@Injectable()
export class RouteContextGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<AppRequest>();
    const targets = [context.getHandler(), context.getClass()];
    const skip = this.reflector.getAllAndOverride<boolean>(SKIP_AUDIT, targets) ?? false;
    const declared = this.reflector.get<AuditMeta | undefined>(AUDIT_META, context.getHandler());
    const fallback: AuditMeta = {
      action: `${context
        .getClass()
        .name.replace(/Controller$/, '')
        .toLowerCase()}.${context.getHandler().name}`,
    };
    req.audit = { meta: skip ? null : (declared ?? fallback), written: false };
    return true;
  }
}
