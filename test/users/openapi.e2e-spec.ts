import { AUDIT_LOG_FIELDS } from '../helpers/api-fields';
import { createTestApp, TestApp } from '../helpers/test-app';

interface Operation {
  summary?: string;
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; required?: boolean; schema?: Record<string, unknown> }[];
  requestBody?: { content: Record<string, { schema: { $ref?: string } }> };
  responses: Record<string, { description?: string; content?: Record<string, { schema: Record<string, unknown> }> }>;
}

describe('OpenAPI: accounts, sessions and audit routes (e2e)', () => {
  let t: TestApp;
  let paths: Record<string, Record<string, Operation>>;
  let schemas: Record<string, { properties: Record<string, unknown>; required?: string[] }>;

  beforeAll(async () => {
    t = await createTestApp();
    const spec = (await t.http.get('/openapi.json').expect(200)).body;
    paths = spec.paths;
    schemas = spec.components.schemas;
  });
  afterAll(async () => {
    await t.close();
  });

  const op = (path: string, method: string): Operation => {
    const found = paths[path]?.[method];
    if (!found) {
      throw new Error(`${method.toUpperCase()} ${path} is not documented`);
    }
    return found;
  };
  const schemaRef = (name: string) => ({ $ref: `#/components/schemas/${name}` });

  it('documents every new route as bearer-protected, with its request and response types', () => {
    const routes: [string, string, string | null, string, string | null][] = [
      ['/users/me/password', 'patch', 'ChangePasswordDto', '204', null],
      ['/users', 'get', null, '200', 'UserPageDto'],
      ['/users/{id}', 'get', null, '200', 'UserResponseDto'],
      ['/users/{id}', 'patch', 'UpdateUserDto', '200', 'UserResponseDto'],
      ['/sessions', 'get', null, '200', null],
      ['/sessions/{id}', 'delete', null, '204', null],
      ['/audit-logs', 'get', null, '200', 'AuditLogPageDto'],
    ];
    for (const [path, method, body, status, response] of routes) {
      const operation = op(path, method);
      expect(operation.security).toEqual([{ bearer: [] }]);
      expect(operation.responses).toHaveProperty(status);
      expect(operation.responses).toHaveProperty('401');
      if (body) {
        expect(operation.requestBody?.content['application/json'].schema).toEqual(schemaRef(body));
      }
      if (response) {
        expect(operation.responses[status].content?.['application/json'].schema).toEqual(schemaRef(response));
      }
    }
    expect(op('/sessions', 'get').responses['200'].content?.['application/json'].schema).toEqual({
      type: 'array',
      items: schemaRef('SessionResponseDto'),
    });
  });

  it('marks the admin routes as such and documents their 403', () => {
    for (const [path, method] of [
      ['/users', 'get'],
      ['/users/{id}', 'get'],
      ['/users/{id}', 'patch'],
      ['/audit-logs', 'get'],
    ]) {
      expect(op(path, method).summary).toMatch(/^Admin only/);
      expect(op(path, method).responses['403']).toBeDefined();
    }
  });

  it('documents the path ids as integers and the paging and filter parameters', () => {
    expect(op('/users/{id}', 'get').parameters).toContainEqual(
      expect.objectContaining({ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }),
    );
    expect(op('/sessions/{id}', 'delete').parameters).toContainEqual(
      expect.objectContaining({ name: 'id', in: 'path' }),
    );
    const names = (path: string) =>
      (op(path, 'get').parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
    expect(names('/users')).toEqual(expect.arrayContaining(['skip', 'limit', 'email']));
    expect(names('/sessions')).toEqual(expect.arrayContaining(['skip', 'limit']));
    expect(names('/audit-logs')).toEqual(
      expect.arrayContaining([
        'skip',
        'limit',
        'user_id',
        'action',
        'resource',
        'request_id',
        'status_code',
        'since',
        'until',
      ]),
    );
    const limit = op('/users', 'get').parameters?.find((p) => p.name === 'limit');
    expect(limit?.schema).toMatchObject({ minimum: 1, maximum: 100, default: 100 });
  });

  it('describes the response objects field by field, and never a token or password hash', () => {
    expect(Object.keys(schemas.SessionResponseDto.properties).sort()).toEqual([
      'created_at',
      'current',
      'expires_at',
      'id',
      'ip_address',
      'is_valid',
      'user_agent',
    ]);
    expect(Object.keys(schemas.AuditLogResponseDto.properties).sort()).toEqual(AUDIT_LOG_FIELDS);
    expect(Object.keys(schemas.UserPageDto.properties).sort()).toEqual(['items', 'limit', 'skip', 'total']);
    expect(schemas.ChangePasswordDto.required).toEqual(['current_password', 'new_password']);
    expect(JSON.stringify(schemas)).not.toMatch(/jti|hashed_password/);
  });

  it('documents 429 on the rate-limited routes', () => {
    for (const [path, method] of [
      ['/auth/login', 'post'],
      ['/auth/register', 'post'],
      ['/auth/refresh', 'post'],
      ['/users/me/password', 'patch'],
    ]) {
      expect(op(path, method).responses['429']).toBeDefined();
    }
  });
});
