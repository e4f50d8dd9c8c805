import { Type, type TProperties } from '@sinclair/typebox';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import type { JsonSchemaResponseFormat } from './chat-completion.caller';

/**
 * One shape declared once (a TypeBox/JSON Schema object with `title`, `example` and ranges) and what a
 * model call needs from it: the schema replies are validated against, the strict structured-output
 * variant the model must follow, and a validator whose errors read as sentences for the retry message.
 */

/** An object that takes exactly these fields; `name` is its schema's name in the OpenAPI document. */
export const closedObject = <T extends TProperties>(name: string, properties: T, description?: string) =>
  Type.Object(properties, { additionalProperties: false, title: name, ...(description ? { description } : {}) });

/** A copy of a schema without some keywords, at every depth. */
export function withoutKeywords(node: unknown, dropped: ReadonlySet<string>): unknown {
  if (Array.isArray(node)) {
    return node.map((item) => withoutKeywords(item, dropped));
  }
  if (node === null || typeof node !== 'object') {
    return node;
  }
  const entries = Object.entries(node).filter(([key]) => !dropped.has(key));
  return Object.fromEntries(entries.map(([key, value]) => [key, withoutKeywords(value, dropped)]));
}

/** What only the OpenAPI document uses. */
const DOCUMENTATION = ['title', 'example', 'format'];

/** Keywords that OpenAI strict structured outputs do not accept on every model. */
const NOT_STRICT_SAFE = new Set([
  ...DOCUMENTATION,
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minLength',
  'maxLength',
  'pattern',
  'format',
]);

/** OpenAPI 3.0's `nullable: true` (which ajv and the document read) as JSON Schema's `type: [type, "null"]`. */
function nullableAsTypeList(node: unknown): unknown {
  if (Array.isArray(node)) {
    return node.map(nullableAsTypeList);
  }
  if (node === null || typeof node !== 'object') {
    return node;
  }
  const { nullable, ...rest } = node as Record<string, unknown>;
  const copy = Object.fromEntries(Object.entries(rest).map(([key, value]) => [key, nullableAsTypeList(value)]));
  if (nullable === true && typeof copy.type === 'string') {
    copy.type = [copy.type, 'null'];
    if (Array.isArray(copy.enum)) {
      copy.enum = [...(copy.enum as unknown[]), null];
    }
  }
  return copy;
}

/** The shape as JSON Schema: what replies are validated against, and what a system prompt may show the model. */
export function validationSchemaOf(declaration: object): Record<string, unknown> {
  return withoutKeywords(declaration, new Set(DOCUMENTATION)) as Record<string, unknown>;
}

/** The strict structured-output format of a shape: same fields, ranges kept only in descriptions. */
export function responseFormatOf(name: string, declaration: object): JsonSchemaResponseFormat {
  const schema = nullableAsTypeList(withoutKeywords(declaration, NOT_STRICT_SAFE)) as Record<string, unknown>;
  return { type: 'json_schema', json_schema: { name, strict: true, schema } };
}

/** Extra fields in a reply are dropped rather than failing it: they are never stored anyway. */
export function compileValidator<T>(schema: Record<string, unknown>): ValidateFunction<T> {
  return new Ajv({ allErrors: true, removeAdditional: true }).compile<T>(schema);
}

function fieldName(error: ErrorObject, whole: string): string {
  const path = error.instancePath.replace(/^\//, '').replace(/\//g, '.');
  return path === '' ? whole : path;
}

/** One validation error as a sentence (`missing field points_schema.daily_base`); `whole` names the root. */
export function describeSchemaError(error: ErrorObject, whole: string): string {
  const field = fieldName(error, whole);
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'required') {
    const parent = field === whole ? '' : `${field}.`;
    return `missing field ${parent}${String(params.missingProperty)}`;
  }
  if (error.keyword === 'enum') {
    return `${field} must be one of ${(params.allowedValues as unknown[]).join(', ')}`;
  }
  return `${field} ${error.message ?? 'is invalid'}`;
}
