import { createHmac, randomUUID } from 'node:crypto';
import {
  activityFixture,
  BROKEN_ACTIVITY_FIXTURES,
  fitFile,
  fuzzedFits,
  gpxFile,
  gzip,
  ride,
} from '../../helpers/activity-files';

/** Just enough of OpenAPI 3 to walk the document the app serves. */
export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  example?: unknown;
  default?: unknown;
  minimum?: number;
  minLength?: number;
  maxLength?: number;
  nullable?: boolean;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
}
export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema?: Schema;
}
interface RawOperation {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  security?: unknown[];
}
export interface OpenApi {
  paths: Record<string, Record<string, RawOperation>>;
  components?: { schemas?: Record<string, Schema> };
}

export interface Operation {
  method: string;
  path: string;
  params: Parameter[];
  /** The body schema's component name (e.g. `RegisterDto`) and the resolved schema. */
  bodyName?: string;
  body?: Schema;
  secured: boolean;
  /** The operation takes a `multipart/form-data` upload (e.g. `POST /activities/upload`). */
  multipart: boolean;
}

export function operationsOf(doc: OpenApi): Operation[] {
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const ref = op.requestBody?.content?.['application/json']?.schema;
      ops.push({
        method: method.toUpperCase(),
        path,
        params: op.parameters ?? [],
        bodyName: ref?.$ref?.split('/').pop(),
        body: ref ? resolve(doc, ref) : undefined,
        secured: (op.security ?? []).length > 0,
        multipart: op.requestBody?.content?.['multipart/form-data'] !== undefined,
      });
    }
  }
  return ops;
}

export function resolve(doc: OpenApi, schema: Schema): Schema {
  if (schema.$ref) {
    const name = schema.$ref.split('/').pop() as string;
    return resolve(doc, doc.components?.schemas?.[name] ?? {});
  }
  return schema;
}

/** A value the schema accepts: its example, its default, else the simplest one of its type. */
export function validValue(doc: OpenApi, raw: Schema): unknown {
  const schema = resolve(doc, raw);
  if (schema.example !== undefined) {
    return schema.example;
  }
  if (schema.default !== undefined) {
    return schema.default;
  }
  if (schema.enum?.length) {
    return schema.enum[0];
  }
  switch (schema.type) {
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return true;
    case 'array':
      return [];
    case 'string':
      return schema.format === 'date' ? '2030-06-01' : 'x'.repeat(Math.max(1, schema.minLength ?? 1));
    default:
      if (schema.properties) {
        return validObject(doc, schema);
      }
      return {};
  }
}

export function validObject(doc: OpenApi, schema: Schema): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, prop] of Object.entries(schema.properties ?? {})) {
    out[name] = validValue(doc, prop);
  }
  return out;
}

export interface BodyCase {
  label: string;
  /** A value sent as JSON... */
  json?: unknown;
  /** ...or raw bytes with their own content type. */
  raw?: string | Buffer;
  contentType?: string;
  headers?: Record<string, string>;
}

const deep = (open: string, close: string, depth: number, inner = '1'): string =>
  open.repeat(depth) + inner + close.repeat(depth);

/** Values of every other JSON type, edge numbers, unicode oddities and sizes. */
const WRONG_VALUES: Array<[string, unknown]> = [
  ['null', null],
  ['true', true],
  ['zero', 0],
  ['negative', -1],
  ['fraction', 1.5],
  ['huge number', 1e308],
  ['2 ** 63', 2 ** 63],
  ['string', 'not-the-right-type'],
  ['empty string', ''],
  ['whitespace', ' \t\n '],
  ['array', [1, 'two', null]],
  ['object', { nested: { value: 1 } }],
  ['nul byte', 'a\u0000b'],
  ['lone surrogate', 'x\ud800y'],
  ['right-to-left override', 'abc\u202edef'],
  ['zero-width and BOM', '\ufeff\u200b\u200d'],
  ['combining marks', 'e\u0301\u0301\u0301\u0301'],
  ['emoji ZWJ', '👩‍👩‍👧‍👦🚴‍♀️'],
  ['non-characters', '\uffff\ufffe'],
  ['SQL', "1' OR '1'='1'; DROP TABLE users; --"],
  ['template and html', '${7*7}{{7*7}}<script>alert(1)</script>'],
  ['huge string', 'x'.repeat(200_000)],
  ['huge unicode string', '💥'.repeat(50_000)],
  ['date-like garbage', '2030-02-30'],
  ['nested 40 deep', JSON.parse(deep('[', ']', 40))],
];

/** Bad bodies for one operation, built from its valid body. */
export function* bodyCases(valid: Record<string, unknown>, schema: Schema | undefined): Generator<BodyCase> {
  const props = Object.keys(schema?.properties ?? {});
  for (const prop of props) {
    for (const [label, value] of WRONG_VALUES) {
      yield { label: `${prop}=${label}`, json: { ...valid, [prop]: value } };
    }
    const missing = { ...valid };
    delete missing[prop];
    yield { label: `${prop} missing`, json: missing };
    yield {
      label: `${prop}=1e999 (Infinity)`,
      raw: JSON.stringify({ ...valid, [prop]: 0 }).replace(`"${prop}":0`, `"${prop}":1e999`),
    };
  }
  const validText = JSON.stringify(valid);
  const rest = validText.length > 2 ? `,${validText.slice(1)}` : '}';
  yield { label: 'extra field', json: { ...valid, unexpected_field: 'x' } };
  yield { label: 'extra privileged fields', json: { ...valid, is_admin: true, is_active: false, id: 1, user_id: 1 } };
  yield { label: '__proto__ key', raw: `{"__proto__":{"is_admin":true,"polluted":"yes"}${rest}` };
  yield { label: 'constructor.prototype key', raw: `{"constructor":{"prototype":{"polluted":"yes"}}${rest}` };
  yield {
    label: 'duplicate keys',
    raw: `${validText.slice(0, -1)}${validText.length > 2 ? ',' : ''}"${props[0] ?? 'a'}":null}`,
  };
  yield { label: 'body null', raw: 'null' };
  yield { label: 'body array', json: [valid] };
  yield { label: 'body string', json: 'just a string' };
  yield { label: 'body number', raw: '42' };
  yield { label: 'body empty object', json: {} };
  yield { label: 'body empty with JSON type', raw: '' };
  yield { label: 'truncated JSON', raw: validText.slice(0, Math.max(1, validText.length - 3)) };
  yield { label: 'trailing garbage', raw: `${validText}garbage` };
  yield { label: 'single quotes', raw: validText.replace(/"/g, "'") };
  yield { label: 'BOM before JSON', raw: `\ufeff${validText}` };
  yield {
    label: 'invalid UTF-8 bytes',
    raw: Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}')]),
  };
  yield { label: 'arrays nested 5000 deep', raw: deep('[', ']', 5000) };
  yield { label: 'objects nested 200 deep', raw: deep('{"a":', '}', 200) };
  yield { label: 'field nested 33 deep', raw: `{"x":${deep('[', ']', 33)}${rest}` };
  yield { label: 'body over 1 MB', raw: JSON.stringify({ ...valid, pad: 'x'.repeat(1_100_000) }) };
  yield { label: 'text/plain', raw: validText, contentType: 'text/plain' };
  yield { label: 'form-urlencoded', raw: 'email=a%40b.c&password=x', contentType: 'application/x-www-form-urlencoded' };
  yield {
    label: 'multipart',
    raw: '--b\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--b--\r\n',
    contentType: 'multipart/form-data; boundary=b',
  };
  yield { label: 'json with utf-16 charset', raw: validText, contentType: 'application/json; charset=utf-16' };
  yield { label: 'json with unknown charset', raw: validText, contentType: 'application/json; charset=klingon' };
  yield { label: 'xml', raw: '<?xml version="1.0"?><a/>', contentType: 'application/xml' };
  yield {
    label: 'gzip encoding of garbage',
    raw: 'not gzip at all',
    contentType: 'application/json',
    headers: { 'content-encoding': 'gzip' },
  };
  yield {
    label: 'unknown encoding',
    raw: validText,
    contentType: 'application/json',
    headers: { 'content-encoding': 'br, zstd, x-custom' },
  };
}

export const BAD_PATH_IDS = [
  'abc',
  '-1',
  '0',
  '1.5',
  '1e3',
  '99999999999999999999999999',
  '9223372036854775808',
  'null',
  'undefined',
  '%00',
  '%ff',
  '%E0%A4%A',
  '..%2F..%2Fetc%2Fpasswd',
  '%2e%2e',
  '%20',
  '1%20',
  encodeURIComponent("1' OR '1'='1"),
  encodeURIComponent('💥'),
  'a'.repeat(3000),
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-1fff-8fff-ffffffffffff',
  randomUUID().toUpperCase(),
  `${randomUUID()}x`,
  '{id}',
  '__proto__',
  'constructor',
];

export function queryCases(params: Parameter[]): Array<[string, string]> {
  const names = params.filter((p) => p.in === 'query').map((p) => p.name);
  if (names.length === 0) {
    return [];
  }
  const cases: Array<[string, string]> = [
    ['unknown parameter', 'unknown=1'],
    ['__proto__ parameter', '__proto__[x]=1&constructor[prototype][y]=2'],
  ];
  const values = [
    '-1',
    'abc',
    '1.5',
    '1e999',
    '',
    '%00',
    '99999999999999999999999',
    'a'.repeat(5000),
    '%25%5F',
    "1'--",
    '[]',
    '{}',
    'null',
    'true',
    '%ff',
  ];
  for (const name of names) {
    for (const v of values) {
      cases.push([`${name}=${v.slice(0, 20)}`, `${name}=${v}`]);
    }
    cases.push([`${name} twice`, `${name}=1&${name}=2`]);
    cases.push([`${name}[]`, `${name}[]=1`]);
    cases.push([`${name}[a]`, `${name}[a]=1`]);
  }
  cases.push(['limit=0', 'limit=0'], ['limit=101', 'limit=101'], ['skip=-5', 'skip=-5']);
  return cases;
}

function b64(value: unknown): string {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
}

export function signJwt(
  header: Record<string, unknown>,
  claims: Record<string, unknown>,
  key: string,
  alg = 'sha256',
): string {
  const head = `${b64(header)}.${b64(claims)}`;
  return `${head}.${createHmac(alg, key).update(head).digest('base64url')}`;
}

/** Authorization headers that must be refused with 401 or 403 (never 5xx). */
export function badAuthorizations(
  secret: string,
  valid: { access: string; refresh: string; sub: string },
  issuer: string,
  audience: string,
): Array<[string, string | undefined]> {
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    sub: valid.sub,
    type: 'access',
    jti: randomUUID(),
    iss: issuer,
    aud: audience,
    iat: now,
    exp: now + 600,
    email: 'x@example.com',
  };
  const hs256 = { alg: 'HS256', typ: 'JWT' };
  const [h, p] = valid.access.split('.');
  return [
    ['no header', undefined],
    ['Bearer only', 'Bearer'],
    ['Bearer and spaces', 'Bearer    '],
    ['garbage token', 'Bearer abc.def.ghi'],
    ['not a JWT', 'Bearer not-a-jwt'],
    ['Basic auth', 'Basic dXNlcjpwYXNzd29yZA=='],
    ['lower-case scheme twice', `bearer bearer ${valid.access}`],
    ['huge token', `Bearer ${'a'.repeat(12_000)}`],
    ['alg none', `Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`],
    ['forged with another key', `Bearer ${signJwt(hs256, claims, 'another-key-another-key-another-key')}`],
    ['HS512 with the right key', `Bearer ${signJwt({ alg: 'HS512', typ: 'JWT' }, claims, secret, 'sha512')}`],
    ['jwk in header', `Bearer ${signJwt({ ...hs256, jwk: { kty: 'oct', k: b64('k') } }, claims, secret)}`],
    ['right key, unknown session', `Bearer ${signJwt(hs256, claims, secret)}`],
    ['right key, expired', `Bearer ${signJwt(hs256, { ...claims, iat: now - 7200, exp: now - 3600 }, secret)}`],
    ['right key, wrong audience', `Bearer ${signJwt(hs256, { ...claims, aud: 'someone-else' }, secret)}`],
    ['right key, sub not a number', `Bearer ${signJwt(hs256, { ...claims, sub: '__proto__' }, secret)}`],
    [
      'right key, claims are an array',
      `Bearer ${signJwt(hs256, [1, 2, 3] as unknown as Record<string, unknown>, secret)}`,
    ],
    ['right key, jti an object', `Bearer ${signJwt(hs256, { ...claims, jti: { $ne: null } }, secret)}`],
    ['refresh token as access', `Bearer ${valid.refresh}`],
    ['tampered payload', `Bearer ${h}.${b64({ ...claims, sub: '1' })}.${valid.access.split('.')[2]}`],
    ['signature stripped', `Bearer ${h}.${p}.`],
  ];
}

const BOUNDARY = 'hostile-boundary-7MA4YWxk';

/** One multipart/form-data body from its parts (a part with a filename is a file). */
function multipartBody(
  parts: { name: string; filename?: string; content: string | Buffer; headers?: string }[],
  boundary = BOUNDARY,
): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = `form-data; name="${part.name}"${part.filename === undefined ? '' : `; filename="${part.filename}"`}`;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${part.headers ?? ''}\r\n`));
    chunks.push(Buffer.from(part.content));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

/** A well-formed multipart body holding one file part `file`, as `call()` sends raw bytes. */
export function fileUpload(content: Buffer): { raw: Buffer; headers: Record<string, string> } {
  return {
    raw: multipartBody([{ name: 'file', filename: 'activity', content }]),
    headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
  };
}

/** Bad multipart uploads for an operation that takes one (`file` part plus small text fields). */
export function* multipartCases(): Generator<BodyCase> {
  const type = `multipart/form-data; boundary=${BOUNDARY}`;
  const file = (content: string | Buffer, filename = 'ride.fit') => ({ name: 'file', filename, content });
  const cases: Array<[string, Buffer, string?]> = [
    ['no parts at all', multipartBody([])],
    ['only a name field', multipartBody([{ name: 'name', content: 'x' }])],
    ['file under another name', multipartBody([{ name: 'upload', filename: 'a.fit', content: 'abc' }])],
    ['two files', multipartBody([file('a'), file('b')])],
    ['a file and an unknown file part', multipartBody([file('a'), { name: 'other', filename: 'b', content: 'b' }])],
    ['empty file', multipartBody([file('')])],
    ['garbage file', multipartBody([file(Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x02]))])],
    ['text file', multipartBody([file('just some text', 'notes.txt')])],
    ['json file', multipartBody([file('{"a":1}', 'a.json')])],
    ['xml file', multipartBody([file('<?xml version="1.0"?><gpx></gpx>', 'a.gpx')])],
    ['name over 1 KB', multipartBody([file('abc'), { name: 'name', content: 'x'.repeat(5000) }])],
    ['empty name', multipartBody([file('abc'), { name: 'name', content: '' }])],
    ['unknown field', multipartBody([file('abc'), { name: 'sport', content: 'run' }])],
    [
      'many fields',
      multipartBody([file('abc'), ...Array.from({ length: 50 }, (_, i) => ({ name: `f${i}`, content: 'x' }))]),
    ],
    ['__proto__ field', multipartBody([file('abc'), { name: '__proto__[is_admin]', content: 'true' }])],
    ['nested field name', multipartBody([file('abc'), { name: 'name[a][b][c]', content: 'x' }])],
    ['field name with NUL', multipartBody([file('abc'), { name: 'na\u0000me', content: 'x' }])],
    ['name with a lone surrogate', multipartBody([file('abc'), { name: 'name', content: 'x\ud800y' }])],
    ['filename with path traversal', multipartBody([file('abc', '../../etc/passwd')])],
    ['filename 5000 characters', multipartBody([file('abc', 'a'.repeat(5000))])],
    ['part headers 10 KB', multipartBody([{ ...file('abc'), headers: `X-Pad: ${'p'.repeat(10_000)}\r\n` }])],
    [
      'truncated (no closing boundary)',
      Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.fit"\r\n\r\nabc`),
    ],
    ['no boundary in the body', Buffer.from('abc')],
    ['malformed part header', Buffer.from(`--${BOUNDARY}\r\nContent-Disposition\r\n\r\nabc\r\n--${BOUNDARY}--\r\n`)],
  ];
  for (const [label, raw, contentType] of cases) {
    yield { label: `multipart: ${label}`, raw, contentType: contentType ?? type };
  }
  for (const broken of brokenActivityFiles()) {
    yield { label: `multipart: ${broken.label}`, raw: multipartBody([file(broken.content)]), contentType: type };
  }
  yield {
    label: 'multipart: no boundary parameter',
    raw: multipartBody([file('abc')]),
    contentType: 'multipart/form-data',
  };
  yield {
    label: 'multipart: mixed, not form-data',
    raw: multipartBody([file('abc')]),
    contentType: `multipart/mixed; boundary=${BOUNDARY}`,
  };
}

/** A broken activity file, the status it must get and what its detail must say. */
export interface BrokenActivityFile {
  label: string;
  content: Buffer;
  status: 413 | 422;
  msg: RegExp;
}

/**
 * Every kind of bad activity file: the committed broken fixtures (not an activity file, corrupt and
 * truncated FIT, XXE, entity-expansion bomb, gzip bomb, no timestamps, no samples, time going backwards,
 * absurd values) and a heart rate of 400 bpm. Each must be refused with nothing stored.
 */
export function brokenActivityFiles(): BrokenActivityFile[] {
  const spike = ride(60, (i) => (i === 20 ? { heartRate: 400 } : {}));
  return [
    ...BROKEN_ACTIVITY_FIXTURES.map((f) => ({
      label: f.file,
      content: activityFixture(f.file),
      status: f.status,
      msg: f.msg,
    })),
    {
      label: 'heart rate 400 bpm (gzip-compressed GPX)',
      content: gzip(gpxFile(spike)),
      status: 422,
      msg: /heart_rate 400 bpm is outside 25-250 bpm/,
    },
  ];
}

/** FITs with random bytes overwritten and a valid CRC: the decoder meets the damage (read, or refused). */
export function fuzzedActivityFiles(count: number): Buffer[] {
  return fuzzedFits(fitFile(ride(120)), count, 7);
}
