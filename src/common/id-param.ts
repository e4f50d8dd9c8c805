import { createParamDecorator, ExecutionContext, NotFoundException } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import type { Request } from 'express';

/** The largest value of the integer id columns (PostgreSQL `integer`): a larger one names nothing. */
const MAX_ID = 2_147_483_647;

/** A path id must be a positive decimal integer in range, spelled plainly; anything else names no resource. */
export function parseIntId(value: unknown, notFound: string): number {
  const id = typeof value === 'string' && /^[1-9]\d{0,9}$/.test(value) ? Number(value) : NaN;
  if (!(id <= MAX_ID)) {
    throw new NotFoundException(notFound);
  }
  return id;
}

// A custom parameter (not @Param) so the raw text is checked: the global pipe would turn '1e3' into 1000.
const intIdOf = createParamDecorator((notFound: string, ctx: ExecutionContext): number =>
  parseIntId(ctx.switchToHttp().getRequest<Request>().params.id, notFound),
);

/** `@IntIdParam('User not found') id: number` for `:id` routes with integer ids (404 when not one). */
export const IntIdParam =
  (notFound: string): ParameterDecorator =>
  (target, key, index) => {
    intIdOf(notFound)(target, key, index);
    const descriptor = key === undefined ? undefined : Object.getOwnPropertyDescriptor(target, key);
    if (key !== undefined && descriptor) {
      ApiParam({ name: 'id', type: 'integer', description: `Positive integer id (anything else: 404 "${notFound}")` })(
        target,
        key,
        descriptor,
      );
    }
  };
