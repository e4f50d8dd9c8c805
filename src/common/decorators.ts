import { createParamDecorator, ExecutionContext, SetMetadata, UnauthorizedException } from '@nestjs/common';
import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { User } from '../users/user.entity';
import type { AppRequest, AuditMeta } from './request-context';

export const IS_PUBLIC = 'lr:isPublic';
export const ADMIN_ONLY = 'lr:adminOnly';
export const AUDIT_META = 'lr:audit';
export const SKIP_AUDIT = 'lr:skipAudit';

/** Opens a route to anonymous callers (the global guard denies by default). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);

/** Admins only; everyone else gets 403. */
export const AdminOnly = (): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(ADMIN_ONLY, true), ApiForbiddenResponse({ description: 'Not an admin' }));

/** Names the audit action of a route (default: `<controller>.<handler>`). */
export const Audit = (action: string, options: Omit<AuditMeta, 'action'> = {}): MethodDecorator =>
  SetMetadata(AUDIT_META, { action, ...options });

/** No audit row for this route: health, metrics, root and docs only. */
export const SkipAudit = (): MethodDecorator & ClassDecorator => SetMetadata(SKIP_AUDIT, true);

/** Bearer auth in the OpenAPI document plus the 401/403 answers every protected route can give. */
export const BearerAuth = (): MethodDecorator & ClassDecorator =>
  applyDecorators(
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'Token malformed, expired, revoked or of the wrong type' }),
    ApiForbiddenResponse({ description: 'No credentials, or the account is inactive' }),
  );

/** The authenticated user of the request. */
export const CurrentUser = createParamDecorator((_data: unknown, ctx: ExecutionContext): User => {
  const auth = ctx.switchToHttp().getRequest<AppRequest>().auth;
  if (!auth) {
    throw new UnauthorizedException('Not authenticated');
  }
  return auth.user;
});

/** The session of the access token in use (logout, the `current` flag). */
export const CurrentSessionId = createParamDecorator((_data: unknown, ctx: ExecutionContext): number => {
  const auth = ctx.switchToHttp().getRequest<AppRequest>().auth;
  if (!auth) {
    throw new UnauthorizedException('Not authenticated');
  }
  return auth.sessionId;
});

export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
}

/** Client address (X-Forwarded-For only under TRUST_PROXY, via Express's req.ip) and user agent. */
export const Client = createParamDecorator((_data: unknown, ctx: ExecutionContext): ClientInfo => {
  return clientInfoOf(ctx.switchToHttp().getRequest<AppRequest>());
});

export function clientInfoOf(req: AppRequest): ClientInfo {
  const ua = req.get('user-agent');
  return { ip: req.ip ?? null, userAgent: ua ? ua.slice(0, 500) : null };
}
