import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, RequestHandler } from 'express';
import { pinoHttp } from 'pino-http';
import { requestId, requestStore, type RequestStore } from '../common/request-context';
import { routePattern } from '../common/route-pattern';
import type { Logger } from './logger';

interface Started {
  at: bigint;
  /** The request's context store, taken when it starts: the guard adds the caller to it later. */
  store: RequestStore | undefined;
}

/**
 * One log line per request, once its response has gone (pino-http): method, route pattern, path (no query
 * string: it can carry OAuth codes), status, duration, request id and user id as fields. 5xx answers log at
 * `error` (the exception filter has logged the error itself, with its stack), everything else at `info`.
 * No header and no body is logged.
 */
export function logRequests(logger: Logger): RequestHandler {
  const started = new WeakMap<IncomingMessage, Started>();
  const path = (req: IncomingMessage): string => (req as Request).originalUrl.split('?')[0];
  const durationMs = (req: IncomingMessage): number | null => {
    const start = started.get(req)?.at;
    return start === undefined ? null : Math.round(Number(process.hrtime.bigint() - start) / 1e5) / 10;
  };
  const fields = (req: IncomingMessage, res: ServerResponse): object => ({
    method: req.method,
    route: routePattern(req as Request),
    path: path(req),
    status: res.statusCode,
    duration_ms: durationMs(req),
    user_id: started.get(req)?.store?.auth?.user.id ?? null,
  });
  const message = (req: IncomingMessage, res: ServerResponse): string =>
    `${req.method} ${path(req)} ${res.statusCode} ${durationMs(req)}ms`;
  const http = pinoHttp({
    logger,
    genReqId: () => requestId() ?? 'none',
    quietReqLogger: true,
    quietResLogger: true,
    customAttributeKeys: { reqId: 'request_id' },
    customLogLevel: (_req, res, err) => (err !== undefined || res.statusCode >= 500 ? 'error' : 'info'),
    customSuccessObject: fields,
    customErrorObject: fields,
    customSuccessMessage: message,
    customErrorMessage: message,
  });
  return (req, res, next) => {
    const cls = requestStore();
    started.set(req, { at: process.hrtime.bigint(), store: cls.isActive() ? cls.get() : undefined });
    http(req, res, next);
  };
}
