import { Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import type { MetricsService } from '../metrics/metrics.service';
import { runWithAuditNotes } from './audit-notes';
import { clientInfoOf } from './decorators';
import type { AppRequest } from './request-context';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;
const MAX_JSON_DEPTH = 32;
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** X-Request-Id: the caller's when well formed, else a new UUID; echoed on every response. */
export function requestId(req: Request, res: Response, next: NextFunction): void {
  const given = req.get('x-request-id');
  const id = given && REQUEST_ID.test(given) ? given : randomUUID();
  (req as AppRequest).requestId = id;
  res.setHeader('X-Request-Id', id);
  next();
}

/**
 * A path with broken percent-encoding (`/missions/%ZZ`) names no resource: 404 like any unknown path,
 * rather than the router's 400 "Failed to decode param".
 */
export function rejectMalformedPaths(req: Request, res: Response, next: NextFunction): void {
  try {
    decodeURIComponent(req.path);
  } catch {
    res.status(404).json({ detail: 'Not found' });
    return;
  }
  next();
}

/** A JSON endpoint sent a body of another type answers 415 (bodies only: a bare POST is fine). */
export function requireJsonBody(req: Request, res: Response, next: NextFunction): void {
  const hasBody = req.get('transfer-encoding') !== undefined || Number(req.get('content-length') ?? 0) > 0;
  if (BODY_METHODS.has(req.method) && hasBody && !req.is(['application/json', 'application/*+json'])) {
    res.status(415).json({ detail: 'Unsupported media type: send application/json' });
    return;
  }
  next();
}

/** body-parser `verify`: refuses deeply nested JSON in one linear scan, before JSON.parse sees it. */
export function rejectDeepJson(_req: Request, _res: Response, buf: Buffer): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (inString) {
      if (c === 0x5c) {
        i++;
      } else if (c === 0x22) {
        inString = false;
      }
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > MAX_JSON_DEPTH) {
        throw Object.assign(new Error('JSON nested too deeply'), { type: 'entity.too.deep' });
      }
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
}

/** Body-parser failures in the contract's shape: never a 500, never the parser's own text. */
export function bodyErrors(
  err: { type?: string; status?: number },
  _req: Request,
  res: Response,
  next: NextFunction,
): void {
  const answers: Record<string, [number, string]> = {
    'entity.parse.failed': [400, 'Malformed JSON body'],
    'entity.too.large': [413, 'Request body too large'],
    'entity.verify.failed': [400, `JSON nested too deeply (at most ${MAX_JSON_DEPTH} levels)`],
    'entity.too.deep': [400, `JSON nested too deeply (at most ${MAX_JSON_DEPTH} levels)`],
    'encoding.unsupported': [415, 'Unsupported content encoding'],
    'charset.unsupported': [415, 'Unsupported charset'],
    'request.aborted': [400, 'Request aborted'],
    'request.size.invalid': [400, 'Request size did not match Content-Length'],
    'stream.encoding.set': [500, 'Internal server error'],
  };
  const answer = err.type ? answers[err.type] : undefined;
  if (!answer && !(err.status && err.status >= 400 && err.status < 500)) {
    next(err);
    return;
  }
  const [status, detail] = answer ?? [err.status ?? 400, 'Bad request'];
  res.status(status).json({ detail });
}

/** One log line and the HTTP metrics per request, labelled with the route pattern (`/missions/:id`) and the request id. */
export function observeRequests(metrics: MetricsService, logger: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    const appReq = req as AppRequest;
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const pattern = (req.route as { path?: unknown } | undefined)?.path;
      const route = typeof pattern === 'string' ? `${req.baseUrl}${pattern}` : 'unmatched';
      metrics.observeRequest(req.method, route, res.statusCode, seconds);
      logger.log(
        `${req.method} ${req.originalUrl.split('?')[0]} ${res.statusCode} ${(seconds * 1000).toFixed(1)}ms request_id=${appReq.requestId}`,
      );
    });
    next();
  };
}

/** Opens the audit notes context; registered after body parsing, whose stream events would lose it. */
export function auditNotesContext(req: Request, _res: Response, next: NextFunction): void {
  const appReq = req as AppRequest;
  const client = clientInfoOf(appReq);
  runWithAuditNotes({ requestId: appReq.requestId, ip: client.ip, userAgent: client.userAgent }, next);
}
