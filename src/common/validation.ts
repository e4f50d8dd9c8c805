import {
  ArgumentMetadata,
  Injectable,
  UnprocessableEntityException,
  ValidationError,
  ValidationPipe,
} from '@nestjs/common';
import { ValidateIf } from 'class-validator';

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

/** When a property breaks several rules, the one to report: its type before its range or format. */
const RULE_PRIORITY = [
  'whitelistValidation',
  'isDefined',
  'isString',
  'isInt',
  'isNumber',
  'isBoolean',
  'isObject',
  'isArray',
  'nestedValidation',
  'isIn',
  'isEnum',
];
const priorityOf = (rule: string): number => {
  const index = RULE_PRIORITY.indexOf(rule);
  return index === -1 ? RULE_PRIORITY.length : index;
};

/** The one item for one property: missing, null, or its most fundamental broken rule. */
function itemFor(error: ValidationError, loc: (string | number)[]): ValidationItem | null {
  const rules = Object.entries(error.constraints ?? {});
  if (rules.length === 0) {
    return null;
  }
  const [rule, msg] = rules.reduce((best, next) => (priorityOf(next[0]) < priorityOf(best[0]) ? next : best));
  if (rule === 'whitelistValidation') {
    return { loc, msg: 'Extra fields are not permitted', type: 'extra_forbidden' };
  }
  if (error.value === undefined) {
    return { loc, msg: 'Field required', type: 'missing' };
  }
  if (error.value === null) {
    return { loc, msg: 'Field may not be null', type: 'null_forbidden' };
  }
  return { loc, msg, type: snakeCase(rule) };
}

/** Item types share one style, snake_case: class-validator's `isString` or `maxLength` become `is_string`, `max_length`. */
export function snakeCase(rule: string): string {
  return rule.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/**
 * Flattens class-validator's tree into one item per problem field: `weekly_hours.max` becomes
 * `['weekly_hours', 'max']`, and a field breaking several rules is reported once.
 */
export function flattenValidationErrors(errors: ValidationError[], parent: (string | number)[] = []): ValidationItem[] {
  return errors.flatMap((error) => {
    const loc = [...parent, /^\d+$/.test(error.property) ? Number(error.property) : error.property];
    const own = itemFor(error, loc);
    return [...(own ? [own] : []), ...flattenValidationErrors(error.children ?? [], loc)];
  });
}

/** 422 with one item per problem, for the body, the query or the path. */
export function unprocessable(items: ValidationItem[]): UnprocessableEntityException {
  return new UnprocessableEntityException({ detail: items });
}

/** DTOs whose route may also be called without a body (a bare POST): it then reads as `{}`. */
const BODY_OPTIONAL = new WeakSet<object>();

/** On a body DTO whose fields are all optional: a request without a body is the same as `{}`. */
export const BodyOptional = (): ClassDecorator => (target) => {
  BODY_OPTIONAL.add(target);
};

/**
 * The global pipe: unknown fields are refused, values are transformed to their DTO types, and every
 * problem becomes a `{loc, msg, type}` item whose `loc` starts with where it was found.
 */
@Injectable()
export class AppValidationPipe extends ValidationPipe {
  /**
   * A query DTO's value for an empty query string (`GET /missions`), per DTO class: the same every time,
   * so it is validated once and then copied, instead of class-transformer and class-validator walking the
   * class's metadata on every list request. Only kept when every field is a primitive (no shared objects).
   */
  private readonly emptyQueries = new Map<unknown, object>();

  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      forbidUnknownValues: true,
      // Values are kept on the errors only to tell a missing field from a wrong one; never echoed back.
      validationError: { target: false, value: true },
      exceptionFactory: (errors) => new ValidationFailed(flattenValidationErrors(errors)),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // Path parameters reach their own pipe as sent (common/id-param.ts): a conversion here would turn
    // `1e3` into 1000 and `0x1` into 1.
    if (metadata.type === 'param') {
      return value;
    }
    if (metadata.type === 'body' && value === undefined && metadata.metatype && BODY_OPTIONAL.has(metadata.metatype)) {
      value = {};
    }
    const emptyQuery = metadata.type === 'query' && isPlainObject(value) && Object.keys(value as object).length === 0;
    const known = emptyQuery ? this.emptyQueries.get(metadata.metatype) : undefined;
    if (known) {
      return copyOf(known);
    }
    if (metadata.type === 'body' && metadata.metatype && this.toValidate(metadata) && !isPlainObject(value)) {
      throw unprocessable([{ loc: ['body'], msg: 'The body must be a JSON object', type: 'object_type' }]);
    }
    const unacceptable = metadata.type === 'custom' ? [] : unacceptableIn(value);
    if (unacceptable.length > 0) {
      throw unprocessable(unacceptable.map((item) => ({ ...item, loc: [locationOf(metadata), ...item.loc] })));
    }
    try {
      const result: unknown = await super.transform(value, metadata);
      if (emptyQuery && isPlainObject(result) && Object.values(result as object).every(isPrimitive)) {
        // A copy: the handler gets `result` itself and could change it.
        this.emptyQueries.set(metadata.metatype, copyOf(result as object));
      }
      return result;
    } catch (error) {
      if (error instanceof ValidationFailed) {
        throw unprocessable(error.items.map((item) => ({ ...item, loc: [locationOf(metadata), ...item.loc] })));
      }
      throw error;
    }
  }
}

function copyOf(value: object): object {
  return Object.assign(Object.create(Object.getPrototypeOf(value) as object | null) as object, value);
}

function isPrimitive(value: unknown): boolean {
  return value === null || (typeof value !== 'object' && typeof value !== 'function');
}

function isPlainObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const PROTOTYPE_KEYS = new Set(['__proto__', 'prototype', 'constructor']);
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Text no column can hold: a lone surrogate has no UTF-8 form, and PostgreSQL refuses NUL in text and jsonb. */
function textProblem(text: string): Omit<ValidationItem, 'loc'> | null {
  if (LONE_SURROGATE.test(text)) {
    return { msg: 'Must be valid Unicode text', type: 'string_unicode' };
  }
  if (text.includes('\u0000')) {
    return { msg: 'Must not contain the NUL character (\\u0000)', type: 'string_nul' };
  }
  return null;
}

/**
 * What no DTO may receive, anywhere in a parsed body or query: keys that reach an object's prototype
 * (Nest would silently drop them; like any unknown field they are refused), and strings or keys that no
 * column can store (a lone surrogate, which validator's isEmail also throws on; a NUL).
 */
function unacceptableIn(value: unknown, path: (string | number)[] = []): ValidationItem[] {
  if (typeof value === 'string') {
    const problem = textProblem(value);
    return problem ? [{ loc: path, ...problem }] : [];
  }
  if (typeof value !== 'object' || value === null || path.length > 64) {
    return [];
  }
  return Object.entries(value).flatMap(([key, child]) => {
    const at = [...path, Array.isArray(value) ? Number(key) : key];
    if (!Array.isArray(value) && PROTOTYPE_KEYS.has(key)) {
      return [{ loc: at, msg: 'Extra fields are not permitted', type: 'extra_forbidden' }];
    }
    const problem = textProblem(key);
    return problem ? [{ loc: at, ...problem }] : unacceptableIn(child, at);
  });
}

/**
 * An optional field that, when sent, must be valid: unlike @IsOptional(), `null` is not a way to skip
 * validation (it would otherwise reach a NOT NULL column). Use @IsOptional() only where null means "clear".
 */
export function OptionalNotNull(): PropertyDecorator {
  return ValidateIf((_object: object, value: unknown) => value !== undefined);
}
