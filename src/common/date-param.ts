import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import type { Request } from 'express';
import { isCalendarDate } from './calendar';
import { unprocessable } from './validation';

const dateOf = createParamDecorator((name: string, ctx: ExecutionContext): string => {
  const value = ctx.switchToHttp().getRequest<Request>().params[name];
  if (!isCalendarDate(value)) {
    throw unprocessable([
      { loc: ['path', name], msg: `${name} must be a valid date in the form YYYY-MM-DD`, type: 'is_calendar_date' },
    ]);
  }
  return value;
});

/** `@DateParam('date') date: string`: a `YYYY-MM-DD` path segment that exists in the calendar, else 422. */
export const DateParam =
  (name: string): ParameterDecorator =>
  (target, key, index) => {
    dateOf(name)(target, key, index);
    const descriptor = key === undefined ? undefined : Object.getOwnPropertyDescriptor(target, key);
    if (key !== undefined && descriptor) {
      ApiParam({ name, type: 'string', format: 'date', example: '2030-01-15' })(target, key, descriptor);
    }
  };
