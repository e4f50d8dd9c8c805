import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { createSecretKey, type KeyObject } from 'node:crypto';
import { AppConfig } from '../config/app-config';
import type { Session } from './session.entity';

export const JWT_ISSUER = 'lanterne-rouge-api';
export const JWT_AUDIENCE = 'lanterne-rouge-app';
export const JWT_ALGORITHM = 'HS256';

export type TokenType = 'access' | 'refresh';

export interface TokenClaims {
  sub: string;
  type: TokenType;
  jti: string;
  iat: number;
  exp: number;
  iss: string;
  aud: string;
  email?: string;
}

/**
 * The only header this service signs is `{"alg":"HS256","typ":"JWT"}`. Anything else (another
 * algorithm, `none`, a key-bearing `jwk`/`jku`/`kid`/`x5c`/`x5u`, `crit`) is refused before any
 * signature check, whatever key it claims.
 */
export function hasPinnedHeader(token: string): boolean {
  const dot = token.indexOf('.');
  if (dot <= 0) {
    return false;
  }
  try {
    const header: unknown = JSON.parse(Buffer.from(token.slice(0, dot), 'base64url').toString('utf8'));
    if (!header || typeof header !== 'object' || Array.isArray(header)) {
      return false;
    }
    const { alg, typ, ...rest } = header as Record<string, unknown>;
    return alg === JWT_ALGORITHM && (typ === undefined || typ === 'JWT') && Object.keys(rest).length === 0;
  } catch {
    return false;
  }
}

/**
 * The HS256 key as a KeyObject. jsonwebtoken treats any string or Buffer as possibly a PEM public key and
 * tries (and fails) to parse it as one on every sign and verify before falling back to a secret key: with
 * a string key that failed parse was ~40% of the CPU of an authenticated request (`npm run bench`, row 2).
 */
export function signingKey(secret: string): KeyObject {
  return createSecretKey(Buffer.from(secret, 'utf8'));
}

export interface TokenPair {
  access_token: string;
  refresh_token: string;
  token_type: 'bearer';
}

/**
 * Signs and verifies JWTs. Both tokens are derived from the session row alone (its jtis, created_at and
 * expires_at), so signing the same row twice gives the same pair: that is how a second tab inside the
 * refresh grace window receives the tokens already handed out for the successor session.
 */
@Injectable()
export class TokenService {
  constructor(
    private readonly jwt: JwtService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  accessExpiry(createdAt: Date): Date {
    return new Date(createdAt.getTime() + this.config.ACCESS_TOKEN_EXPIRE_MINUTES * 60_000);
  }

  pairFor(session: Session, email: string): TokenPair {
    const iat = Math.floor(session.createdAt.getTime() / 1000);
    const base = { sub: String(session.userId), iat, iss: JWT_ISSUER, aud: JWT_AUDIENCE };
    const accessExp = Math.floor(this.accessExpiry(session.createdAt).getTime() / 1000);
    return {
      access_token: this.sign({ ...base, type: 'access', jti: session.accessTokenJti, exp: accessExp, email }),
      refresh_token: this.sign({
        ...base,
        type: 'refresh',
        jti: session.refreshTokenJti,
        exp: Math.floor(session.expiresAt.getTime() / 1000),
      }),
      token_type: 'bearer',
    };
  }

  /**
   * Verifies header and signature (HS256 only: `none`, HS384/HS512 and key-bearing headers fail), issuer, audience
   * and expiry, and that the claims have the shape this service signs. Throws on any problem.
   */
  verify(token: string): TokenClaims {
    if (!hasPinnedHeader(token)) {
      throw new Error('unexpected token header');
    }
    const claims = this.jwt.verify<TokenClaims>(token, {
      algorithms: [JWT_ALGORITHM],
      issuer: JWT_ISSUER,
      audience: JWT_AUDIENCE,
    });
    if (!this.hasValidShape(claims)) {
      throw new Error('malformed claims');
    }
    return claims;
  }

  /** The claims this service signs: a numeric `sub`, a known `type`, a `jti`, and `iat`/`exp` numbers. */
  hasValidShape(claims: Partial<TokenClaims>): claims is TokenClaims {
    return (
      typeof claims.sub === 'string' &&
      /^\d+$/.test(claims.sub) &&
      (claims.type === 'access' || claims.type === 'refresh') &&
      typeof claims.jti === 'string' &&
      typeof claims.exp === 'number' &&
      typeof claims.iat === 'number'
    );
  }

  private sign(claims: TokenClaims): string {
    return this.jwt.sign(claims, { algorithm: JWT_ALGORITHM });
  }
}
