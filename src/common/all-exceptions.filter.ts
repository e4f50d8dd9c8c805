import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger, Optional } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { isDatabaseUnavailable } from '../database/database-errors';
import { type ErrorCode, ERRORS, errorBody, genericCode } from './error-codes';
import { requestId } from './request-context';

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
  return ERRORS[genericCode(status)].detail;
}

/** The exception's code: the one its body names (see apiError), else the generic one of its status. */
function codeOf(exception: HttpException): ErrorCode {
  const response = exception.getResponse() as { code?: unknown } | string;
  const named = typeof response === 'object' && typeof response.code === 'string' ? response.code : undefined;
  return named !== undefined && Object.hasOwn(ERRORS, named)
    ? (named as ErrorCode)
    : genericCode(exception.getStatus());
}

/**
 * Work that must be done before an error response leaves, whoever provides it. The audit trail does
 * (src/audit: the row of a request refused before its interceptor ran, by a guard or the throttler).
 */
export abstract class ErrorResponseHook {
  abstract beforeErrorResponse(status: number): Promise<void>;
}

/**
 * The one place errors become responses: every body is `{"detail": ..., "code": ...}`, 401s carry
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
    let status = 500;
    let code: ErrorCode = 'internal_error';
    let detail: unknown = ERRORS.internal_error.detail;

    if (exception instanceof ThrottlerException) {
      status = 429;
      code = 'rate_limited';
      detail = ERRORS.rate_limited.detail;
    } else if (exception instanceof HttpException) {
      status = exception.getStatus();
      if (status < 500 || status === 502 || status === 503) {
        code = codeOf(exception);
        detail = detailOf(status, exception.getResponse());
      }
    } else if (isDatabaseUnavailable(exception)) {
      status = 503;
      code = 'database_unavailable';
      detail = ERRORS.database_unavailable.detail;
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
    res.status(status).json(errorBody(code, detail));
  }
}

/** The path without its query string, which can carry OAuth codes or other secrets: what log lines show. */
function pathOf(req: Request): string {
  return req.originalUrl.split('?')[0];
}
