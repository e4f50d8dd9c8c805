import { createParamDecorator, ExecutionContext, NotFoundException } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import type { Request } from 'express';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A path UUID, lower-cased (as ids are stored); anything that is not a UUID names nothing: 404. */
export function parseUuid(value: unknown, notFound: string): string {
  if (typeof value !== 'string' || !UUID.test(value)) {
    throw new NotFoundException(notFound);
  }
  return value.toLowerCase();
}

const uuidOf = createParamDecorator((options: { name: string; notFound: string }, ctx: ExecutionContext): string =>
  parseUuid(ctx.switchToHttp().getRequest<Request>().params[options.name], options.notFound),
);

/** `@UuidParam('id', 'Mission not found') id: string` for routes keyed by a UUID (404 when not one). */
export const UuidParam =
  (name: string, notFound: string): ParameterDecorator =>
  (target, key, index) => {
    uuidOf({ name, notFound })(target, key, index);
    const descriptor = key === undefined ? undefined : Object.getOwnPropertyDescriptor(target, key);
    if (key !== undefined && descriptor) {
      ApiParam({ name, type: 'string', format: 'uuid', description: `A UUID (anything else: 404 "${notFound}")` })(
        target,
        key,
        descriptor,
      );
    }
  };
