import * as fs from 'node:fs';
import * as path from 'node:path';
import { ERROR_CODES } from '../../src/common/error-codes';
import { LoggedIn, registerAndLogin } from '../helpers/auth';
import { PROJECT_ROOT } from '../helpers/server-process';
import { createTestApp, TestApp } from '../helpers/test-app';
import { missionBody } from '../helpers/missions';

type Schema = {
  $ref?: string;
  type?: string;
  default?: unknown;
  example?: unknown;
  enum?: unknown[];
  format?: string;
  nullable?: boolean;
  description?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  allOf?: Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  additionalProperties?: boolean | Schema;
  required?: string[];
};
type Response = { description?: string; content?: Record<string, { schema: Schema }> };
interface Operation {
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  parameters?: unknown[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, Response>;
}
interface Document {
  servers?: { url: string }[];
  tags?: { name: string; description?: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema>; securitySchemes: Record<string, Record<string, unknown>> };
}

const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace']);
const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });

describe('OpenAPI document: errors, request schemas, /metrics and property types (e2e)', () => {
  let t: TestApp;
  let doc: Document;
  let schemas: Record<string, Schema>;
  let rider: LoggedIn;

  beforeAll(async () => {
    t = await createTestApp({ BODY_LIMIT: '4kb' });
    doc = (await t.http.get('/openapi.json').expect(200)).body as Document;
    schemas = doc.components.schemas;
    rider = await registerAndLogin(t.http);
  });
  afterAll(async () => {
    await t.close();
  });

  const operations = (): [string, Operation][] =>
    Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([method]) => METHODS.has(method))
        .map(([method, op]): [string, Operation] => [`${method.toUpperCase()} ${path}`, op]),
    );
  const jsonSchemaOf = (response: Response | undefined): Schema | undefined =>
    response?.content?.['application/json']?.schema;
  const resolve = (schema: Schema): Schema =>
    schema.$ref ? schemas[schema.$ref.replace('#/components/schemas/', '')] : schema;

  /** Every schema a request body reaches, through $ref, properties, items and combinators. */
  const requestSchemas = (): Map<Schema, string> => {
    const found = new Map<Schema, string>();
    const visit = (schema: Schema | boolean | undefined, where: string): void => {
      if (!schema || typeof schema === 'boolean') {
        return;
      }
      const target = resolve(schema);
      const name = schema.$ref ? (schema.$ref.split('/').pop() ?? where) : where;
      if (!target || found.has(target)) {
        return;
      }
      found.set(target, name);
      Object.entries(target.properties ?? {}).forEach(([key, child]) => visit(child, `${name}.${key}`));
      [target.items, ...(target.allOf ?? []), ...(target.anyOf ?? []), ...(target.oneOf ?? [])].forEach((child) =>
        visit(child, `${name}[]`),
      );
      visit(target.additionalProperties, `${name}{}`);
    };
    for (const [, op] of operations()) {
      Object.values(op.requestBody?.content ?? {}).forEach((media) => visit(media.schema, 'body'));
    }
    return found;
  };

  it('defines ErrorResponse and ValidationErrorResponse', () => {
    expect(schemas.ErrorResponse).toMatchObject({
      type: 'object',
      properties: { detail: { type: 'string' } },
      required: ['detail', 'code'],
    });
    expect(schemas.ValidationErrorResponse).toMatchObject({
      type: 'object',
      properties: {
        detail: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              loc: { type: 'array', items: { anyOf: [{ type: 'string' }, { type: 'integer' }] } },
              msg: { type: 'string' },
              type: { type: 'string' },
            },
            required: ['loc', 'msg', 'type'],
          },
        },
        code: { enum: ['validation_failed'] },
      },
      required: ['detail', 'code'],
    });
  });

  it('lists every error code the server can answer, and each code thrown in src/ is one of them', () => {
    const listed = (schemas.ErrorCode as { enum: string[] }).enum;
    expect(JSON.stringify(schemas.ErrorResponse.properties?.code)).toContain('"#/components/schemas/ErrorCode"');
    expect([...listed].sort()).toEqual([...ERROR_CODES].sort());
    listed.forEach((code) => expect(code).toMatch(/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/));
    // Every code named in the source (apiError('...'), the decorators' 404s, the filter's own) is documented.
    const named = new Set<string>();
    const walk = (dir: string): void => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) {
          walk(file);
        } else if (file.endsWith('.ts') && !file.endsWith('.spec.ts')) {
          const text = fs.readFileSync(file, 'utf8');
          for (const match of text.matchAll(/(?:apiError|errorBody|IntIdParam|UuidParam\('\w+',)\(?\s*'([a-z_]+)'/g)) {
            named.add(match[1]);
          }
        }
      }
    };
    walk(path.join(PROJECT_ROOT, 'src'));
    expect(named.size).toBeGreaterThan(40);
    expect([...named].filter((code) => !listed.includes(code))).toEqual([]);
  });

  it('documents 422 with ValidationErrorResponse wherever there are parameters or a body', () => {
    const checked: string[] = [];
    for (const [name, op] of operations()) {
      if ((op.parameters?.length ?? 0) > 0 || op.requestBody) {
        expect([name, jsonSchemaOf(op.responses['422'])]).toEqual([name, ref('ValidationErrorResponse')]);
        checked.push(name);
      }
    }
    expect(checked).toEqual(
      expect.arrayContaining(['POST /missions', 'PUT /missions/{id}', 'POST /missions/draft', 'GET /missions']),
    );
  });

  it('documents 413 and 415 (ErrorResponse) on every operation with a request body', () => {
    const withBody = operations().filter(([, op]) => op.requestBody);
    expect(withBody.length).toBeGreaterThanOrEqual(8);
    for (const [name, op] of withBody) {
      for (const status of ['413', '415', '422']) {
        expect([name, status, op.responses[status]?.description]).toEqual([name, status, expect.any(String)]);
      }
      expect([name, jsonSchemaOf(op.responses['413'])]).toEqual([name, ref('ErrorResponse')]);
      expect([name, jsonSchemaOf(op.responses['415'])]).toEqual([name, ref('ErrorResponse')]);
    }
  });

  it('gives every error answer a body schema, and every operation a default error', () => {
    for (const [name, op] of operations()) {
      expect([name, jsonSchemaOf(op.responses.default)]).toEqual([name, ref('ErrorResponse')]);
      for (const [status, response] of Object.entries(op.responses)) {
        if (/^[45]/.test(status) && status !== '422') {
          expect([name, status, jsonSchemaOf(response)]).toEqual([name, status, ref('ErrorResponse')]);
        }
      }
    }
  });

  it('closes every schema a request body uses: additionalProperties false', () => {
    const found = requestSchemas();
    const names = [...found.values()];
    expect(names).toEqual(
      expect.arrayContaining([
        'CreateMissionDto',
        'UpdateMissionDto',
        'TransitionMissionDto',
        'CreateMissionDraftDto',
        'WeeklyHoursDto',
        'NotificationPreferencesDto',
        'RegisterDto',
        'LoginDto',
        'RefreshDto',
      ]),
    );
    for (const [schema, name] of found) {
      if (schema.type === 'object' || schema.properties) {
        // Free-form JSON objects (points_schema, constraints) say so explicitly; DTOs are closed.
        const expected = schema.properties ? false : true;
        expect([name, schema.additionalProperties]).toEqual([name, expected]);
      }
    }
    // Response-only schemas are not touched.
    expect(schemas.MissionResponseDto.additionalProperties).toBeUndefined();
  });

  it('backs that with the server: unknown fields, other content types and big bodies are refused', async () => {
    const nested = await t.http
      .post('/missions/draft')
      .set(rider.auth)
      .send({
        event_name: 'Gran Fondo',
        event_date: '2099-06-01',
        mission_type: 'gran_fondo',
        weekly_hours: { min: 4, max: 8, extra: 1 },
        current_ftp: 200,
      })
      .expect(422);
    expect(nested.body.detail).toContainEqual(
      expect.objectContaining({ loc: ['body', 'weekly_hours', 'extra'], type: 'extra_forbidden' }),
    );
    const text = await t.http
      .post('/missions')
      .set(rider.auth)
      .set('Content-Type', 'text/plain')
      .send(JSON.stringify(missionBody()))
      .expect(415);
    expect(typeof text.body.detail).toBe('string');
    const big = await t.http
      .post('/missions')
      .set(rider.auth)
      .send(missionBody({ name: 'x'.repeat(8000) }))
      .expect(413);
    expect(typeof big.body.detail).toBe('string');
  });

  it('documents GET /metrics as Prometheus text, optionally behind METRICS_TOKEN', async () => {
    const op = doc.paths['/metrics']?.get;
    expect(op).toBeDefined();
    expect(op?.tags).toContain('health');
    expect(op?.responses['200'].description).toMatch(/Prometheus/);
    expect(op?.responses['200'].content).toEqual({
      'text/plain': { schema: expect.objectContaining({ type: 'string' }) },
    });
    expect(op?.security).toEqual(expect.arrayContaining([{}, { metrics_token: [] }]));
    expect(doc.components.securitySchemes.metrics_token).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const status of ['401', '403', '404']) {
      expect(jsonSchemaOf(op?.responses[status])).toEqual(ref('ErrorResponse'));
    }
    const scraped = await t.http.get('/metrics').expect(200);
    expect(scraped.headers['content-type']).toMatch(/^text\/plain/);
  });

  it('types the mission dates as nullable date strings and the counts as integers', () => {
    for (const dto of ['CreateMissionDto', 'UpdateMissionDto']) {
      for (const field of ['prep_start_date', 'prep_end_date']) {
        expect([dto, field, schemas[dto].properties?.[field]]).toEqual([
          dto,
          field,
          expect.objectContaining({ type: 'string', format: 'date', nullable: true }),
        ]);
      }
      for (const field of ['event_start_date', 'event_end_date']) {
        expect(schemas[dto].properties?.[field]).toMatchObject({ type: 'string', format: 'date' });
      }
    }
    const integers: [string, string][] = [
      ['CreateMissionDraftDto', 'current_ftp'],
      ['WeeklyHoursDto', 'min'],
      ['WeeklyHoursDto', 'max'],
      ['MissionResponseDto', 'user_id'],
      ['MissionDraftResponseDto', 'prompt_tokens'],
      ['MissionDraftResponseDto', 'completion_tokens'],
      ['DraftPointsSchemaDto', 'daily_base'],
      ['DraftConstraintsDto', 'min_readiness'],
      ['TransitionJobResultDto', 'transitions_performed'],
    ];
    for (const [dto, field] of integers) {
      expect([dto, field, schemas[dto].properties?.[field]?.type]).toEqual([dto, field, 'integer']);
    }
    // No date, date-time or uuid property anywhere is documented as anything but a string.
    for (const [name, schema] of Object.entries(schemas)) {
      for (const [field, property] of Object.entries(schema.properties ?? {})) {
        if (property.format) {
          expect([name, field, property.type]).toEqual([name, field, 'string']);
        }
      }
    }
  });

  it('documents that time zones are stored under their canonical name', () => {
    for (const dto of ['CreateMissionDto', 'UpdateMissionDto']) {
      expect(schemas[dto].properties?.timezone).toMatchObject({ type: 'string' });
      expect(schemas[dto].properties?.timezone.description).toMatch(/canonical/);
    }
  });

  it('names every operation as a client method: a unique camelCase verb phrase', () => {
    const ids = operations().map(([name, op]) => [name, op.operationId]);
    for (const [name, id] of ids) {
      expect([name, id]).toEqual([name, expect.stringMatching(/^[a-z]+(?:[A-Z][a-z0-9]*)*$/)]);
      expect([name, id]).not.toEqual([name, expect.stringMatching(/controller/i)]);
    }
    expect(new Set(ids.map(([, id]) => id)).size).toBe(ids.length);
    expect(Object.fromEntries(ids.map(([name, id]) => [name, id]))).toMatchObject({
      'POST /auth/login': 'login',
      'POST /missions': 'createMission',
      'GET /missions/{id}': 'getMission',
      'GET /users/me': 'getCurrentUser',
    });
  });

  it('gives every operation a summary and a description, and declares every tag with a description', () => {
    for (const [name, op] of operations()) {
      expect([name, op.summary?.trim()]).toEqual([name, expect.stringMatching(/\S/)]);
      expect([name, op.description?.trim()]).toEqual([name, expect.stringMatching(/\S/)]);
    }
    const declared = new Map((doc.tags ?? []).map((tag) => [tag.name, tag.description]));
    const used = new Set(operations().flatMap(([, op]) => op.tags ?? []));
    expect(used.size).toBeGreaterThan(5);
    for (const tag of used) {
      expect([tag, declared.get(tag)]).toEqual([tag, expect.stringMatching(/\S/)]);
    }
    expect(doc.servers).toEqual([expect.objectContaining({ url: expect.any(String) })]);
  });

  it('types ids, counts and paging fields as integers, never number', () => {
    const integerName = /^(id|\w+_id|total|skip|limit|status_code)$/;
    const checked: string[] = [];
    for (const [name, schema] of Object.entries(schemas)) {
      for (const [field, property] of Object.entries(schema.properties ?? {})) {
        if (integerName.test(field)) {
          expect([name, field, property.type]).not.toEqual([name, field, 'number']);
          checked.push(`${name}.${field}`);
        }
      }
    }
    for (const field of [
      'UserResponseDto.id',
      'UserPageDto.total',
      'UserPageDto.skip',
      'UserPageDto.limit',
      'SessionResponseDto.id',
      'AuditLogResponseDto.id',
      'AuditLogResponseDto.user_id',
      'AuditLogResponseDto.status_code',
      'AuditLogPageDto.total',
    ]) {
      const [dto, key] = field.split('.');
      expect([field, schemas[dto].properties?.[key]?.type]).toEqual([field, 'integer']);
    }
    expect(checked.length).toBeGreaterThan(10);
  });

  it('does not require the request fields that have a server-side default', () => {
    const withDefault: string[] = [];
    for (const [schema, name] of requestSchemas()) {
      for (const [field, property] of Object.entries(schema.properties ?? {})) {
        if (property.default !== undefined) {
          expect([name, field, schema.required ?? []]).toEqual([name, field, expect.not.arrayContaining([field])]);
          withDefault.push(`${name}.${field}`);
        }
      }
    }
    expect(withDefault).toEqual(
      expect.arrayContaining(['CreateMissionDto.points_schema', 'CreateMissionDto.timezone']),
    );
  });

  it('marks public operations security [] and protected ones bearer, as the server answers without a token', async () => {
    const sample = (path: string): string =>
      path
        .replace('{date}', '2025-01-01')
        .replace(/\{(id|draft_id)\}/, (_match, name: string) =>
          name === 'id' && /^\/(users|sessions)\//.test(path) ? '1' : '00000000-0000-4000-8000-000000000000',
        );
    const open: string[] = [];
    for (const [name, op] of operations()) {
      const [method, path] = name.split(' ');
      const res = await t.http[method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete'](sample(path));
      const refusedAsAnonymous = res.status === 403 && res.body.detail === 'Not authenticated';
      if (op.security?.some((requirement) => 'bearer' in requirement)) {
        expect([name, res.status, res.body.detail]).toEqual([name, 403, 'Not authenticated']);
      } else {
        expect([name, op.security?.length === 0 || name === 'GET /metrics']).toEqual([name, true]);
        expect([name, refusedAsAnonymous]).toEqual([name, false]);
        open.push(name);
      }
    }
    expect(open).toEqual(
      expect.arrayContaining(['POST /auth/login', 'POST /auth/register', 'GET /healthz', 'GET /readyz', 'GET /']),
    );
  });

  it('describes /readyz checks, error examples and the 413 answer as the server gives them', async () => {
    expect(schemas.ReadyDto.properties?.checks).toMatchObject({
      type: 'object',
      additionalProperties: { type: 'string', enum: ['up'] },
    });
    expect((await t.http.get('/readyz').expect(200)).body.checks).toEqual({ database: 'up' });
    // One shared error schema: no example that belongs to one operation (it showed on /metrics).
    expect(schemas.ErrorResponse.properties?.detail.example).toBeUndefined();
    for (const [name, op] of operations()) {
      // Nesting too deep is a 400, not a 413.
      expect([name, op.responses['413']?.description ?? '']).not.toEqual([name, expect.stringMatching(/nest/i)]);
    }
    const deep = '['.repeat(200) + ']'.repeat(200);
    await t.http.post('/missions').set(rider.auth).set('Content-Type', 'application/json').send(deep).expect(400);
  });
});
