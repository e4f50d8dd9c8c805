import {
  ArgumentMetadata,
  Injectable,
  UnprocessableEntityException,
  ValidationError,
  ValidationPipe,
} from '@nestjs/common';

/** One problem with the request, shaped for a form: `loc` is the path to the field. */
export interface ValidationItem {
  loc: (string | number)[];
  msg: string;
  type: string;
}

class ValidationFailed extends Error {
  constructor(readonly items: ValidationItem[]) {
    super('Validation failed');
  }
}

const locationOf = (metadata: ArgumentMetadata): string =>
  metadata.type === 'param' ? 'path' : metadata.type === 'custom' ? 'body' : metadata.type;

/** Flattens class-validator's tree: `weekly_hours.max` becomes `['weekly_hours', 'max']`. */
export function flattenValidationErrors(errors: ValidationError[], parent: (string | number)[] = []): ValidationItem[] {
  return errors.flatMap((error) => {
    const loc = [...parent, /^\d+$/.test(error.property) ? Number(error.property) : error.property];
    const own = Object.entries(error.constraints ?? {}).map(([type, msg]) => ({
      loc,
      msg: type === 'whitelistValidation' ? 'Extra fields are not permitted' : msg,
      type: type === 'whitelistValidation' ? 'extra_forbidden' : type,
    }));
    return [...own, ...flattenValidationErrors(error.children ?? [], loc)];
  });
}

/** 422 with one item per problem, for the body, the query or the path. */
export function unprocessable(items: ValidationItem[]): UnprocessableEntityException {
  return new UnprocessableEntityException({ detail: items });
}

/**
 * The global pipe: unknown fields are refused, values are transformed to their DTO types, and every
 * problem becomes a `{loc, msg, type}` item whose `loc` starts with where it was found.
 */
@Injectable()
export class AppValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      forbidUnknownValues: true,
      validationError: { target: false, value: false },
      exceptionFactory: (errors) => new ValidationFailed(flattenValidationErrors(errors)),
    });
  }

  /** Nest silently drops `__proto__`, `prototype` and `constructor` keys; like any unknown field, they are refused. */
  protected override stripProtoKeys(value: unknown): void {
    const found = prototypeKeysIn(value);
    if (found.length > 0) {
      throw new ValidationFailed(found.map((loc) => ({ loc, msg: 'Extra fields are not permitted', type: 'extra_forbidden' })));
    }
    super.stripProtoKeys(value);
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && metadata.metatype && this.toValidate(metadata) && !isPlainObject(value)) {
      throw unprocessable([{ loc: ['body'], msg: 'The body must be a JSON object', type: 'object_type' }]);
    }
    try {
      return await super.transform(value, metadata);
    } catch (error) {
      if (error instanceof ValidationFailed) {
        throw unprocessable(error.items.map((item) => ({ ...item, loc: [locationOf(metadata), ...item.loc] })));
      }
      throw error;
    }
  }
}

function isPlainObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const PROTOTYPE_KEYS = ['__proto__', 'prototype', 'constructor'];

/** Where a parsed body or query holds one of those keys as its own (JSON.parse creates `__proto__` as one). */
function prototypeKeysIn(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== 'object' || value === null || path.length > 64) {
    return [];
  }
  const own = Array.isArray(value) ? [] : PROTOTYPE_KEYS.filter((key) => Object.hasOwn(value, key)).map((key) => [...path, key]);
  const nested = Object.entries(value).flatMap(([key, child]) =>
    prototypeKeysIn(child, [...path, Array.isArray(value) ? Number(key) : key]),
  );
  return [...own, ...nested];
}
