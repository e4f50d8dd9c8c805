import type { Request, RequestHandler } from 'express';
import { requestId, requestStore } from '../common/request-context';
import { routePattern } from '../common/route-pattern';
import type { Logger } from './logger';

/**
 * One log line per request, once its response has gone (or the connection closed first): method, route
 * pattern, path (no query string: it can carry OAuth codes), status, duration, request id and user id as
 * fields. 5xx answers log at `error` (the exception filter has logged the error itself, with its stack),
 * everything else at `info`. No header and no body is logged.
 *
 * Written straight to the process's pino logger: pino-http, which did this before, made two child
 * loggers per request and serialised their bindings for the same line.
 */
export function logRequests(logger: Logger): RequestHandler {
  // The line's fields are the fixed ones below, none of them a secret field (logger.ts's REDACTED_PATHS):
  // redaction could never censor anything here, so these lines skip its per-line walk of the paths.
  const lines = logger.child({}, { redact: { paths: [] } });
  const pathOf = (req: Request): string => req.originalUrl.split('?')[0];
  return (req, res, next) => {
    const at = process.hrtime.bigint();
    const cls = requestStore();
    // The request's context store, taken when it starts: the guard adds the caller to it later.
    const store = cls.isActive() ? cls.get() : undefined;
    const id = requestId() ?? 'none';
    const done = (): void => {
      res.off('finish', done);
      res.off('close', done);
      const duration = Math.round(Number(process.hrtime.bigint() - at) / 1e5) / 10;
      const path = pathOf(req);
      const status = res.statusCode;
      const line = {
        request_id: id,
        method: req.method,
        route: routePattern(req),
        path,
        status,
        duration_ms: duration,
        user_id: store?.auth?.user.id ?? null,
      };
      const message = `${req.method} ${path} ${status} ${duration}ms`;
      if (status >= 500) {
        lines.error(line, message);
      } else {
        lines.info(line, message);
      }
    };
    res.on('finish', done);
    res.on('close', done);
    next();
  };
}
