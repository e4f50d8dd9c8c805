import type { OpenAPIObject, OperationObject, ReferenceObject, ResponseObject, SchemaObject } from '@nestjs/swagger';

/**
 * What the decorators cannot say once for every route, added to the generated OpenAPI document:
 * the error bodies (`{"detail": "..."}`, and the list of `{loc, msg, type}` items of a 422), the
 * 413/415 answers of every JSON body, closed request schemas (unknown fields are refused), and
 * GET /metrics, which answers Prometheus text rather than JSON.
 */

const JSON_TYPE = 'application/json';
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
const SCHEMA_PREFIX = '#/components/schemas/';

export const ERROR_RESPONSE = 'ErrorResponse';
export const VALIDATION_ERROR_RESPONSE = 'ValidationErrorResponse';

const ERROR_RESPONSE_SCHEMA: SchemaObject = {
  type: 'object',
  description: 'The body of every error but 422: one human-readable message',
  properties: { detail: { type: 'string', example: 'Mission not found' } },
  required: ['detail'],
};

const VALIDATION_ERROR_RESPONSE_SCHEMA: SchemaObject = {
  type: 'object',
  description: 'The body of a 422: one item per problem, `loc` being the path to the field',
  properties: {
    detail: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          loc: {
            type: 'array',
            items: { anyOf: [{ type: 'string' }, { type: 'integer' }] },
            example: ['body', 'weekly_hours', 'max'],
          },
          msg: { type: 'string', example: 'max must be greater than or equal to min' },
          type: { type: 'string', example: 'isAtLeastProperty' },
        },
        required: ['loc', 'msg', 'type'],
      },
    },
  },
  required: ['detail'],
};

const PROMETHEUS_EXAMPLE =
  '# HELP http_requests_total HTTP requests by method, route and status code\n' +
  '# TYPE http_requests_total counter\n' +
  'http_requests_total{method="GET",route="/missions/:id",status_code="200"} 3\n';

const ref = (name: string): ReferenceObject => ({ $ref: `${SCHEMA_PREFIX}${name}` });
const jsonBody = (name: string): ResponseObject['content'] => ({ [JSON_TYPE]: { schema: ref(name) } });
const isRef = (value: object): value is ReferenceObject => '$ref' in value;

/** Adds the error schemas, the error answers every operation can give, and GET /metrics' details. */
export function completeDocument(doc: OpenAPIObject): OpenAPIObject {
  doc.components = doc.components ?? {};
  doc.components.schemas = {
    ...doc.components.schemas,
    [ERROR_RESPONSE]: ERROR_RESPONSE_SCHEMA,
    [VALIDATION_ERROR_RESPONSE]: VALIDATION_ERROR_RESPONSE_SCHEMA,
  };
  documentMetrics(doc);
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
    responses['413'] ??= { description: 'The body is larger than BODY_LIMIT (1 MB by default), or nested too deeply' };
    responses['415'] ??= { description: 'The body is not sent as Content-Type: application/json' };
  }
  responses.default ??= {
    description: 'Any other error, e.g. 500 {"detail": "Internal server error"}',
  };
  for (const [status, response] of Object.entries(responses)) {
    if (response && !isRef(response) && !response.content && (status === 'default' || /^[45]/.test(status))) {
      response.content = jsonBody(ERROR_RESPONSE);
    }
  }
}

function responseDescription(response: ResponseObject | ReferenceObject | undefined): string | undefined {
  return response && !isRef(response) && response.description ? response.description : undefined;
}

/** Prometheus text, optionally behind METRICS_TOKEN: the controller answers through @Res(), so say it here. */
function documentMetrics(doc: OpenAPIObject): void {
  const op = doc.paths['/metrics']?.get;
  if (!op) {
    return;
  }
  op.summary ??= 'Prometheus metrics (text exposition format)';
  const ok = op.responses['200'];
  op.responses['200'] = {
    description: responseDescription(ok) ?? 'Prometheus text exposition format',
    content: { 'text/plain': { schema: { type: 'string', example: PROMETHEUS_EXAMPLE } } },
  };
  op.responses['401'] ??= { description: 'METRICS_TOKEN is set and the bearer token sent is not it' };
  op.responses['403'] ??= { description: 'METRICS_TOKEN is set and no Authorization header was sent' };
  op.responses['404'] ??= { description: 'Metrics are off (METRICS_ENABLED=false)' };
  doc.components = doc.components ?? {};
  doc.components.securitySchemes = {
    ...doc.components.securitySchemes,
    metrics_token: {
      type: 'http',
      scheme: 'bearer',
      description: 'The METRICS_TOKEN value (only when the server sets one)',
    },
  };
  // Either no credentials (METRICS_TOKEN unset) or the metrics token.
  op.security = [{}, { metrics_token: [] }];
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
