import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import { unprocessable } from './validation';

/**
 * Routes that take no body (logout, confirm, the transition job...) refuse one that carries fields,
 * like any other unknown field: the global pipe never sees a body a handler does not declare.
 * An empty body (`{}` or none) is fine.
 */
@Injectable()
export class UnexpectedBodyInterceptor implements NestInterceptor {
  private readonly takesBody = new WeakMap<object, boolean>();

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const body = context.switchToHttp().getRequest<Request>().body as unknown;
    if (body !== undefined && !isEmptyObject(body) && !this.routeTakesBody(context)) {
      const keys = body !== null && typeof body === 'object' && !Array.isArray(body) ? Object.keys(body) : [];
      throw unprocessable(
        keys.length > 0
          ? keys.map((key) => ({ loc: ['body', key], msg: 'Extra fields are not permitted', type: 'extra_forbidden' }))
          : [{ loc: ['body'], msg: 'This route takes no body', type: 'extra_forbidden' }],
      );
    }
    return next.handle();
  }

  private routeTakesBody(context: ExecutionContext): boolean {
    const handler = context.getHandler();
    let known = this.takesBody.get(handler);
    if (known === undefined) {
      const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, context.getClass(), handler.name) ?? {}) as Record<
        string,
        unknown
      >;
      known = Object.keys(args).some((key) => key.split(':')[0] === String(RouteParamtypes.BODY));
      this.takesBody.set(handler, known);
    }
    return known;
  }
}

function isEmptyObject(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0;
}
