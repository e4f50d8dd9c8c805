import type { OpenAPIObject, OperationObject, ReferenceObject, ResponseObject, SchemaObject } from '@nestjs/swagger';

/**
 * What the decorators cannot say for every route, added to the generated OpenAPI document. The error
 * schemas (extra models), the `default` and 400 answers (global responses) and every route's own error
 * answers (`type: ErrorResponseDto`) come from @nestjs/swagger itself; what is left depends on each
 * operation's shape, which no decorator sees:
 * - 422 with the list of `{loc, msg, type}` items where there are parameters or a body;
 * - 413 and 415 where there is a body (answered by the body parsers, before any route);
 * - closed request schemas (unknown fields are refused).
 */

const JSON_TYPE = 'application/json';
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
const SCHEMA_PREFIX = '#/components/schemas/';

export const ERROR_RESPONSE = 'ErrorResponse';
export const VALIDATION_ERROR_RESPONSE = 'ValidationErrorResponse';

const ref = (name: string): ReferenceObject => ({ $ref: `${SCHEMA_PREFIX}${name}` });
const jsonBody = (name: string): ResponseObject['content'] => ({ [JSON_TYPE]: { schema: ref(name) } });
const isRef = (value: object): value is ReferenceObject => '$ref' in value;

/** Adds the error answers that depend on an operation's parameters and body, and closes request schemas. */
export function completeDocument(doc: OpenAPIObject): OpenAPIObject {
  for (const item of Object.values(doc.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (operation) {
        completeOperation(operation);
      }
    }
  }
  closeRequestSchemas(doc);
  return doc;
}

function completeOperation(op: OperationObject): void {
  const responses = op.responses;
  const hasBody = op.requestBody !== undefined;
  if (hasBody || (op.parameters?.length ?? 0) > 0) {
    responses['422'] = {
      description:
        (responseDescription(responses['422']) ?? 'The body, path or query does not match the schema') +
        ' (one {loc, msg, type} item per problem)',
      content: jsonBody(VALIDATION_ERROR_RESPONSE),
    };
  }
  if (hasBody) {
    responses['413'] ??= {
      description: 'The body is larger than BODY_LIMIT (1 MB by default)',
      content: jsonBody(ERROR_RESPONSE),
    };
    responses['415'] ??= {
      description: 'The body is not sent as Content-Type: application/json',
      content: jsonBody(ERROR_RESPONSE),
    };
  }
}

function responseDescription(response: ResponseObject | ReferenceObject | undefined): string | undefined {
  return response && !isRef(response) && response.description ? response.description : undefined;
}

/**
 * The server refuses unknown fields (422), so every object schema a request body uses, directly or
 * through $ref, properties, items or allOf/anyOf/oneOf, gets `additionalProperties: false`. Schemas
 * that say otherwise (free-form JSON objects such as points_schema) are left as they are.
 */
function closeRequestSchemas(doc: OpenAPIObject): void {
  const components = doc.components?.schemas ?? {};
  const seen = new Set<SchemaObject>();
  const visit = (schema: SchemaObject | ReferenceObject | undefined): void => {
    if (!schema) {
      return;
    }
    const target = isRef(schema) ? components[schema.$ref.slice(SCHEMA_PREFIX.length)] : schema;
    if (!target || isRef(target) || seen.has(target)) {
      return;
    }
    seen.add(target);
    if ((target.type === 'object' || target.properties) && target.additionalProperties === undefined) {
      target.additionalProperties = false;
    }
    Object.values(target.properties ?? {}).forEach(visit);
    [target.items, target.not, ...(target.allOf ?? []), ...(target.anyOf ?? []), ...(target.oneOf ?? [])].forEach(
      visit,
    );
    if (typeof target.additionalProperties === 'object') {
      visit(target.additionalProperties);
    }
  };
  for (const item of Object.values(doc.paths)) {
    for (const method of METHODS) {
      const body = item[method]?.requestBody;
      if (body && !isRef(body)) {
        Object.values(body.content).forEach((media) => visit(media.schema));
      }
    }
  }
}
