import {
  CallHandler,
  ExecutionContext,
  HttpException,
  HttpStatus,
  Injectable,
  NestInterceptor,
  RequestMethod,
} from '@nestjs/common';
import { HTTP_CODE_METADATA, METHOD_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { from, lastValueFrom, Observable } from 'rxjs';
import type { Request, Response } from 'express';
import { perRoute } from '../common/route-cache';
import { auditRowPending } from './audit-notes';
import { AuditService } from './audit.service';

/**
 * Writes the audit row of every handled request before the response leaves: on success with the
 * route's status, on failure with the error's. A request whose handler committed a change therefore
 * always has its row.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  /** The status a route answers with unless it sets another (@HttpCode, else 201 for POST, else 200). */
  private readonly statusOf = perRoute(
    (handler): number =>
      this.reflector.get<number | undefined>(HTTP_CODE_METADATA, handler) ??
      (this.reflector.get<RequestMethod>(METHOD_METADATA, handler) === RequestMethod.POST
        ? HttpStatus.CREATED
        : HttpStatus.OK),
  );

  constructor(
    private readonly audit: AuditService,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (!auditRowPending()) {
      // A route without a row (@SkipAudit: health, metrics, docs): nothing to wait for around the handler.
      return next.handle();
    }
    const req = context.switchToHttp().getRequest<Request>();
    const status = this.statusOf(context);
    const pathId = typeof req.params?.id === 'string' ? req.params.id : undefined;
    // A handler may choose its status through @Res({ passthrough: true }) (e.g. 200 for a replayed confirm).
    const res = context.switchToHttp().getResponse<Response>();
    const statusBefore = res.statusCode;

    return from(this.recorded(next.handle(), res, statusBefore, status, pathId));
  }

  /**
   * The handler's one result once its row is written (a row that cannot be written fails the request);
   * on an error, its row with the error's status, then the error. An async function over the handler's
   * observable rather than an operator chain: one subscription per request instead of four.
   */
  private async recorded(
    handled: Observable<unknown>,
    res: Response,
    statusBefore: number,
    status: number,
    pathId: string | undefined,
  ): Promise<unknown> {
    let result: unknown;
    try {
      result = await lastValueFrom(handled, { defaultValue: undefined });
    } catch (error) {
      const failed = error instanceof HttpException ? error.getStatus() : HttpStatus.INTERNAL_SERVER_ERROR;
      await this.audit.recordRequest(failed, pathId).catch(() => undefined);
      throw error;
    }
    const final = res.statusCode !== statusBefore ? res.statusCode : status;
    await this.audit.recordRequest(final, idOf(result) ?? pathId);
    return result;
  }
}

function idOf(result: unknown): string | undefined {
  if (result && typeof result === 'object' && 'id' in result) {
    const id = result.id;
    return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
  }
  return undefined;
}
