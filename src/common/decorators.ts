import {
  applyDecorators,
  createParamDecorator,
  ExecutionContext,
  SetMetadata,
  UnauthorizedException,
} from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ClientInfo, currentAuth, currentClient, RequestAuth } from './request-context';

export const IS_PUBLIC = 'lr:isPublic';
export const ADMIN_ONLY = 'lr:adminOnly';

/** Opens a route to anonymous callers (the global guard denies by default). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);

/** Admins only; everyone else gets 403. */
export const AdminOnly = (): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(ADMIN_ONLY, true), ApiForbiddenResponse({ description: 'Not an admin' }));

/** Bearer auth in the OpenAPI document plus the 401/403 answers every protected route can give. */
export const BearerAuth = (): MethodDecorator & ClassDecorator =>
  applyDecorators(
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'Token malformed, expired, revoked or of the wrong type' }),
    ApiForbiddenResponse({ description: 'No credentials, or the account is inactive' }),
  );

function authOrThrow(): RequestAuth {
  const auth = currentAuth();
  if (!auth) {
    throw new UnauthorizedException('Not authenticated');
  }
  return auth;
}

/** The authenticated user of the request: the whole users row (`@CurrentUser() user: User`). */
export const CurrentUser = createParamDecorator(
  (_data: unknown, _ctx: ExecutionContext): RequestAuth['user'] => authOrThrow().user,
);

/** The session of the access token in use (logout, the `current` flag). */
export const CurrentSessionId = createParamDecorator(
  (_data: unknown, _ctx: ExecutionContext): number => authOrThrow().sessionId,
);

/** Client address (X-Forwarded-For only under TRUST_PROXY) and user agent. */
export const Client = createParamDecorator((_data: unknown, _ctx: ExecutionContext): ClientInfo => currentClient());

export type { ClientInfo };
