import { createHmac } from 'node:crypto';

/** The body of a login or refresh answer. */
export interface TokenPair {
  access_token: string;
  refresh_token: string;
}

const DIGESTS: Record<string, string> = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' };

const segment = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Signs any header and payload with an HMAC secret (no signature for `alg: none`), to forge test tokens. */
export function signJwt(header: Record<string, unknown>, payload: Record<string, unknown>, secret: string): string {
  const input = `${segment(header)}.${segment(payload)}`;
  const digest = DIGESTS[String(header.alg)];
  return `${input}.${digest ? createHmac(digest, secret).update(input).digest('base64url') : ''}`;
}

/** The claims of a token, unverified. */
export function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** The same token with its payload replaced but its header and signature kept (a tampered token). */
export function withPayload(token: string, payload: Record<string, unknown>): string {
  const [header, , signature] = token.split('.');
  return `${header}.${segment(payload)}.${signature}`;
}
