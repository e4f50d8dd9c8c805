import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { noteForAudit } from '../audit/audit-notes';
import { apiError } from '../common/error-codes';
import type { RequestAuth } from '../common/request-context';
import { AppConfig } from '../config/app-config';
import { SessionsService } from '../sessions/sessions.service';
import {
  hasPinnedHeader,
  JWT_ALGORITHM,
  JWT_AUDIENCE,
  JWT_ISSUER,
  signingKey,
  TokenClaims,
  TokenService,
} from '../sessions/token.service';

/**
 * Bearer access tokens: the header must be exactly the one this API signs, passport-jwt checks the
 * signature (HS256 only), issuer, audience and expiry; then the session row must still be valid and the
 * user active, so logout, refresh, password change and deactivation take effect at once.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    @Inject(AppConfig) config: AppConfig,
    private readonly sessions: SessionsService,
    private readonly tokens: TokenService,
  ) {
    // passport-jwt's types say string | Buffer, but it hands the key straight to jsonwebtoken, which takes
    // a KeyObject and then skips its per-request attempt to parse the secret as a PEM key.
    const key = signingKey(config.SECRET_KEY) as unknown as Buffer;
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // The header is checked before the signature: only the exact header this API signs is accepted.
      secretOrKeyProvider: (_req: unknown, rawJwt: string, done: (err: Error | null, secret?: Buffer) => void) =>
        hasPinnedHeader(rawJwt) ? done(null, key) : done(new Error('Unexpected token header')),
      algorithms: [JWT_ALGORITHM],
      issuer: JWT_ISSUER,
      audience: JWT_AUDIENCE,
      ignoreExpiration: false,
    });
  }

  async validate(payload: TokenClaims): Promise<RequestAuth> {
    if (!this.tokens.hasValidShape(payload)) {
      throw apiError('invalid_token');
    }
    if (payload.type !== 'access') {
      throw apiError('token_wrong_type');
    }
    const session = await this.sessions.findActiveByAccessJti(payload.jti);
    if (!session?.user || String(session.userId) !== payload.sub) {
      throw apiError('token_revoked');
    }
    // The user a valid token names is the row's user, even when the request is then refused (403).
    noteForAudit({ userId: session.userId });
    if (!session.user.isActive) {
      throw apiError('account_inactive');
    }
    return { user: session.user, sessionId: session.id, jti: payload.jti };
  }
}
