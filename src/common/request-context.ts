import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import {
  ClsMiddleware,
  ClsMiddlewareOptions,
  ClsModuleOptions,
  ClsService,
  ClsServiceManager,
  ClsStore,
} from 'nestjs-cls';

/**
 * The per-request store (nestjs-cls, one AsyncLocalStorage context per request): the request id, the
 * client, the authenticated caller, and whatever a feature keeps for the request (the audit trail's
 * notes). Read it through the accessors below, never through the raw request.
 */
export interface RequestStore extends ClsStore {
  client: ClientInfo;
  auth?: RequestAuth;
}

export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
}

/** The fields of the users row that cross-cutting code reads; at run time `user` is the whole row. */
export interface AuthenticatedUser {
  id: number;
  email: string;
  isAdmin: boolean;
}

/** Set by the JWT guard once the bearer token and its session are valid. */
export interface RequestAuth {
  user: AuthenticatedUser;
  sessionId: number;
  jti: string;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** X-Request-Id: the caller's when well formed (1-128 of `[A-Za-z0-9._-]`), else a new UUID. */
export function requestIdFor(req: Request): string {
  const given = req.get('x-request-id');
  return given && REQUEST_ID.test(given) ? given : randomUUID();
}

/** Client address (X-Forwarded-For only under TRUST_PROXY, via Express's req.ip) and user agent. */
export function clientInfoOf(req: Request): ClientInfo {
  const ua = req.get('user-agent');
  return { ip: req.ip ?? null, userAgent: ua ? ua.slice(0, 500) : null };
}

/** The id comes from X-Request-Id and is echoed on every response. */
const middlewareOptions: ClsMiddlewareOptions = {
  mount: false,
  generateId: true,
  idGenerator: requestIdFor,
  setup: (cls: ClsService, req: Request, res: Response) => {
    res.setHeader('X-Request-Id', cls.getId());
    cls.set('client', clientInfoOf(req));
  },
  // No proxy providers or plugins here: skip their per-request resolution.
  resolveProxyProviders: false,
  initializePlugins: false,
};

/** For `ClsModule.forRoot` in AppModule (ClsService injectable everywhere: the request context is global). */
export const REQUEST_CONTEXT_OPTIONS: ClsModuleOptions = { global: true, middleware: middlewareOptions };

/**
 * The context as an Express middleware, mounted first in app.setup.ts (ClsModule's own mounting would run
 * after the body parser, too late for the X-Request-Id of a 413 or 415). raw-body binds its callback to
 * the context, so it survives body parsing.
 */
export const requestContext = new ClsMiddleware(middlewareOptions).use;

export const requestStore = (): ClsService<RequestStore> => ClsServiceManager.getClsService<RequestStore>();

/** The current request's id (X-Request-Id), or undefined outside a request (scheduler, admin commands). */
export function requestId(): string | undefined {
  const cls = requestStore();
  return cls.isActive() ? cls.getId() : undefined;
}

/** The current request's client, or nulls outside a request. */
export function currentClient(): ClientInfo {
  const cls = requestStore();
  return (cls.isActive() ? cls.get('client') : undefined) ?? { ip: null, userAgent: null };
}

/** The authenticated caller of the current request, if any. */
export function currentAuth(): RequestAuth | undefined {
  const cls = requestStore();
  return cls.isActive() ? cls.get('auth') : undefined;
}

export function setCurrentAuth(auth: RequestAuth): void {
  requestStore().set('auth', auth);
}
