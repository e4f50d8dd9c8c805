import {
  applyDecorators,
  createParamDecorator,
  ExecutionContext,
  SetMetadata,
  UnauthorizedException,
} from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiOperation,
  ApiUnauthorizedResponse,
  DECORATORS,
} from '@nestjs/swagger';
import { ErrorResponseDto } from './error-response.dto';
import { ClientInfo, currentAuth, currentClient, RequestAuth } from './request-context';

export const IS_PUBLIC = 'lr:isPublic';
export const ADMIN_ONLY = 'lr:adminOnly';

/**
 * Opens a route to anonymous callers (the global guard denies by default), and says so in the OpenAPI
 * document: `security: []` on the operation, unless the route documents a security of its own (/metrics).
 */
export const Public = (): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(IS_PUBLIC, true), openInDocument);

/** Admins only; everyone else gets 403. */
export const AdminOnly = (): MethodDecorator & ClassDecorator =>
  applyDecorators(
    SetMetadata(ADMIN_ONLY, true),
    ApiForbiddenResponse({ description: 'Not an admin', type: ErrorResponseDto }),
  );

/** Bearer auth in the OpenAPI document plus the 401/403 answers every protected route can give. */
export const BearerAuth = (): MethodDecorator & ClassDecorator =>
  applyDecorators(
    ApiBearerAuth(),
    ApiUnauthorizedResponse({
      description: 'Token malformed, expired, revoked or of the wrong type',
      type: ErrorResponseDto,
    }),
    ApiForbiddenResponse({ description: 'No credentials, or the account is inactive', type: ErrorResponseDto }),
  );

/** What a client generator and a reader of the docs get for one route: all three are required. */
export interface OperationDoc {
  /** The generated method's name: a camelCase verb phrase (`createMission`, `login`). */
  id: string;
  /** One line, shown as the operation's title. */
  summary: string;
  /** What it does and the rules a caller needs, in a few sentences. */
  description: string;
  /** Only where the route accepts credentials other than the access token (/metrics). */
  security?: Record<string, string[]>[];
}

/** The route's OpenAPI operation: its id, summary and description (@nestjs/swagger's `ApiOperation`). */
export const Operation = ({ id, summary, description, security }: OperationDoc): MethodDecorator =>
  ApiOperation({ operationId: id, summary, description, security });

/**
 * Adds `security: []` to the operation metadata that `ApiOperation` also writes (it merges, so the order of
 * the decorators does not matter); on a class, to each of its routes. A security already set wins.
 */
function openInDocument(target: object, _key?: string | symbol, descriptor?: PropertyDescriptor): void {
  const handlers: unknown[] = descriptor ? [descriptor.value] : routeHandlers(target as { prototype: object });
  for (const handler of handlers) {
    if (typeof handler === 'function') {
      const operation = (Reflect.getMetadata(DECORATORS.API_OPERATION, handler) ?? {}) as Record<string, unknown>;
      Reflect.defineMetadata(DECORATORS.API_OPERATION, { security: [], ...operation }, handler);
    }
  }
}

function routeHandlers(controller: { prototype: object }): unknown[] {
  return Object.getOwnPropertyNames(controller.prototype)
    .map((name): unknown => Object.getOwnPropertyDescriptor(controller.prototype, name)?.value)
    .filter((value) => typeof value === 'function' && Reflect.hasMetadata(PATH_METADATA, value));
}

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
