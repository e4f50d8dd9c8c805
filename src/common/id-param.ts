import { applyDecorators, Param, ParseIntPipe, ParseUUIDPipe } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import { apiError, type ErrorCode, ERRORS } from './error-codes';

/** The largest value of the integer id columns (PostgreSQL `integer`): a larger one names nothing. */
const MAX_ID = 2_147_483_647;

/**
 * ParseIntPipe with a 404: a path id names a resource or nothing. Narrowed because ParseIntPipe takes
 * `007`, `0`, `-1` and ids beyond the column's range, none of which names a row.
 */
class IntIdPipe extends ParseIntPipe {
  constructor(notFound: ErrorCode) {
    super({ exceptionFactory: () => apiError(notFound) });
  }

  protected override isNumeric(value: string): boolean {
    return typeof value === 'string' && /^[1-9]\d{0,9}$/.test(value) && Number(value) <= MAX_ID;
  }
}

/** ParseUUIDPipe with a 404, answering the id lower-cased (as ids are stored). */
class UuidPipe extends ParseUUIDPipe {
  constructor(notFound: ErrorCode) {
    super({ exceptionFactory: () => apiError(notFound) });
  }

  override async transform(value: string, metadata: Parameters<ParseUUIDPipe['transform']>[1]): Promise<string> {
    return String(await super.transform(value, metadata)).toLowerCase();
  }
}

/** `@IntIdParam('user_not_found') id: number` for `:id` routes with integer ids (404 when not one). */
export const IntIdParam = (notFound: ErrorCode): ParameterDecorator =>
  combine(
    Param('id', new IntIdPipe(notFound)),
    ApiParam({
      name: 'id',
      type: 'integer',
      description: `Positive integer id (anything else: 404 ${notFound}, "${ERRORS[notFound].detail}")`,
    }),
  );

/** `@UuidParam('id', 'mission_not_found') id: string` for routes keyed by a UUID (404 when not one). */
export const UuidParam = (name: string, notFound: ErrorCode): ParameterDecorator =>
  combine(
    Param(name, new UuidPipe(notFound)),
    ApiParam({
      name,
      type: 'string',
      format: 'uuid',
      description: `A UUID (anything else: 404 ${notFound}, "${ERRORS[notFound].detail}")`,
    }),
  );

/** A parameter decorator plus the method decorator that documents it. */
function combine(param: ParameterDecorator, doc: MethodDecorator): ParameterDecorator {
  return (target, key, index) => {
    param(target, key, index);
    const descriptor = key === undefined ? undefined : Object.getOwnPropertyDescriptor(target, key);
    if (key !== undefined && descriptor) {
      applyDecorators(doc)(target, key, descriptor);
    }
  };
}
