import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger, Optional } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { isDatabaseUnavailable } from '../database/database-errors';
import { requestId } from './request-context';

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
 * Work that must be done before an error response leaves, whoever provides it. The audit trail does
 * (src/audit: the row of a request refused before its interceptor ran, by a guard or the throttler).
 */
export abstract class ErrorResponseHook {
  abstract beforeErrorResponse(status: number): Promise<void>;
}

/**
 * The one place errors become responses: every body is `{"detail": ...}`, 401s carry
 * `WWW-Authenticate: Bearer`, anything unexpected is logged with its request id and answered with a
 * generic 500. The ErrorResponseHook runs before the response is sent.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Exceptions');

  constructor(@Optional() private readonly hook?: ErrorResponseHook) {}

  async catch(exception: unknown, host: ArgumentsHost): Promise<void> {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request>();
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
        `Database unavailable on ${req.method} ${pathOf(req)} [request_id=${requestId()}]: ${(exception as Error).message}`,
      );
    } else {
      const err = exception as Error | undefined;
      this.logger.error(
        `Unhandled error on ${req.method} ${pathOf(req)} [request_id=${requestId()}]: ${err?.message ?? String(exception)}`,
        err?.stack,
      );
    }

    await this.hook
      ?.beforeErrorResponse(status)
      .catch((error: Error) =>
        this.logger.error(`Error-response hook failed [request_id=${requestId()}]: ${error.message}`),
      );

    if (res.headersSent) {
      return;
    }
    if (status === 401) {
      res.setHeader('WWW-Authenticate', 'Bearer');
    }
    res.status(status).json({ detail });
  }
}

/** The path without its query string, which can carry OAuth codes or other secrets: what log lines show. */
function pathOf(req: Request): string {
  return req.originalUrl.split('?')[0];
}
