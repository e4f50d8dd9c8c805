import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import type { Response } from 'express';
import { AuditService } from '../audit/audit.service';
import { isDatabaseUnavailable } from '../database/database-errors';
import type { AppRequest } from './request-context';

const GENERIC_DETAIL: Record<number, string> = {
  400: 'Bad request',
  401: 'Could not validate credentials',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  413: 'Request body too large',
  415: 'Unsupported media type: send application/json',
  422: 'Unprocessable entity',
  429: 'Too many requests',
  502: 'Bad gateway',
  503: 'Service unavailable',
};

/** Turns an exception's response into the contract's `detail`: a string, or 422's list of items. */
export function detailOf(status: number, response: unknown): unknown {
  if (typeof response === 'string') {
    return response;
  }
  if (response && typeof response === 'object') {
    const body = response as { detail?: unknown; message?: unknown };
    if (body.detail !== undefined) {
      return body.detail;
    }
    if (typeof body.message === 'string') {
      return body.message;
    }
  }
  return GENERIC_DETAIL[status] ?? 'Error';
}

/**
 * The one place errors become responses: every body is `{"detail": ...}`, 401s carry
 * `WWW-Authenticate: Bearer`, anything unexpected is logged with its request id and answered with a
 * generic 500. Requests refused before the audit interceptor ran (guards, throttling) get their audit
 * row here, so none is missed.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Exceptions');

  constructor(private readonly audit: AuditService) {}

  async catch(exception: unknown, host: ArgumentsHost): Promise<void> {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<AppRequest>();
    const res = ctx.getResponse<Response>();
    let status: number = 500;
    let detail: unknown = 'Internal server error';

    if (exception instanceof ThrottlerException) {
      status = 429;
      detail = 'Too many requests, please retry later';
    } else if (exception instanceof HttpException) {
      status = exception.getStatus();
      detail =
        status >= 500 && status !== 502 && status !== 503
          ? 'Internal server error'
          : detailOf(status, exception.getResponse());
    } else if (isDatabaseUnavailable(exception)) {
      status = 503;
      detail = 'Service unavailable: the database cannot be reached, please retry';
      this.logger.warn(
        `Database unavailable on ${req.method} ${req.originalUrl} [request_id=${req.requestId}]: ${(exception as Error).message}`,
      );
    } else {
      const err = exception as Error | undefined;
      this.logger.error(
        `Unhandled error on ${req.method} ${req.originalUrl} [request_id=${req.requestId}]: ${err?.message ?? String(exception)}`,
        err?.stack,
      );
    }

    await this.audit
      .recordRequest(req, status)
      .catch((error: Error) => this.logger.error(`Audit write failed [request_id=${req.requestId}]: ${error.message}`));

    if (res.headersSent) {
      return;
    }
    if (status === 401) {
      res.setHeader('WWW-Authenticate', 'Bearer');
    }
    res.status(status).json({ detail });
  }
}
