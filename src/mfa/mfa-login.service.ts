import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { IsNull, LessThan, MoreThan, Repository } from 'typeorm';
import { noteForAudit } from '../audit/audit-notes';
import {
  hasPinnedHeader,
  JWT_ALGORITHM,
  JWT_AUDIENCE,
  JWT_ISSUER,
  TokenPair,
  TokenService,
} from '../sessions/token.service';
import { monotonicNow } from '../common/clock';
import type { ClientInfo } from '../common/decorators';
import { MetricsService } from '../metrics/metrics.service';
import { SessionsService } from '../sessions/sessions.service';
import { User } from '../users/user.entity';
import { MfaChallenge } from './mfa-challenge.entity';
import { MfaService, SecondFactor } from './mfa.service';
import { apiError } from '../common/error-codes';

/** The mfa_token lives 5 minutes (contract). */
const MFA_TOKEN_TTL_MS = 5 * 60_000;

export interface MfaChallengeAnswer {
  mfa_required: true;
  mfa_token: string;
  token_type: 'mfa';
}

interface MfaClaims {
  sub: string;
  type: 'mfa';
  jti: string;
  email: string;
}

/**
 * The second step of a login with MFA: the login answers an `mfa_token` (a JWT of type `mfa` whose jti
 * names a challenge row) instead of tokens; a good code with it creates the session. The challenge is
 * spent by one conditional UPDATE, so two uses of one mfa_token give one token pair.
 */
@Injectable()
export class MfaLoginService {
  constructor(
    @InjectRepository(MfaChallenge) private readonly challenges: Repository<MfaChallenge>,
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly jwt: JwtService,
    private readonly mfa: MfaService,
    private readonly sessions: SessionsService,
    private readonly tokens: TokenService,
    private readonly metrics: MetricsService,
  ) {}

  async challenge(user: User): Promise<MfaChallengeAnswer> {
    const now = monotonicNow();
    // Old challenges are of no use to anyone; they go as new ones are made.
    await this.challenges.delete({ expiresAt: LessThan(new Date(now.getTime() - MFA_TOKEN_TTL_MS)) });
    const id = randomUUID();
    const expiresAt = new Date(now.getTime() + MFA_TOKEN_TTL_MS);
    await this.challenges.insert({ id, userId: user.id, createdAt: now, expiresAt, usedAt: null });
    const claims = {
      sub: String(user.id),
      type: 'mfa',
      jti: id,
      email: user.email,
      iss: JWT_ISSUER,
      aud: JWT_AUDIENCE,
      iat: Math.floor(now.getTime() / 1000),
      exp: Math.floor(expiresAt.getTime() / 1000),
    };
    noteForAudit({ details: 'password accepted; second factor required' });
    return { mfa_required: true, mfa_token: this.jwt.sign(claims, { algorithm: JWT_ALGORITHM }), token_type: 'mfa' };
  }

  async verify(mfaToken: string, factor: SecondFactor, client: ClientInfo): Promise<TokenPair> {
    const claims = this.claimsOf(mfaToken);
    const challenge = await this.challenges.findOneBy({ id: claims.jti });
    if (
      !challenge ||
      challenge.usedAt ||
      challenge.expiresAt.getTime() <= Date.now() ||
      String(challenge.userId) !== claims.sub
    ) {
      throw apiError('invalid_mfa_token');
    }
    const user = await this.users.findOneBy({ id: challenge.userId });
    if (!user?.mfaEnabled) {
      throw apiError('invalid_mfa_token');
    }
    // Anonymous until the second factor is accepted; the targeted account is the row's resource.
    noteForAudit({ resource: 'user', resourceId: String(user.id) });
    if (!user.isActive) {
      throw apiError('account_inactive');
    }
    if (!(await this.mfa.checkSecondFactor(user.id, factor))) {
      this.metrics.loginFailures.inc();
      throw apiError('mfa_code_invalid');
    }
    const spent = await this.challenges.update(
      { id: challenge.id, usedAt: IsNull(), expiresAt: MoreThan(new Date()) },
      { usedAt: monotonicNow() },
    );
    if (spent.affected !== 1) {
      throw apiError('invalid_mfa_token');
    }
    const session = await this.sessions.create(user.id, client);
    noteForAudit({ userId: user.id, resource: 'session', resourceId: String(session.id) });
    return this.tokens.pairFor(session, user.email);
  }

  private claimsOf(token: string): MfaClaims {
    let claims: Partial<MfaClaims>;
    try {
      if (!hasPinnedHeader(token)) {
        throw new Error('unexpected header');
      }
      claims = this.jwt.verify<MfaClaims>(token, {
        algorithms: [JWT_ALGORITHM],
        issuer: JWT_ISSUER,
        audience: JWT_AUDIENCE,
      });
    } catch {
      throw apiError('invalid_mfa_token');
    }
    if (claims.type !== 'mfa') {
      throw apiError('token_wrong_type');
    }
    if (typeof claims.sub !== 'string' || typeof claims.jti !== 'string' || !/^[0-9a-f-]{36}$/.test(claims.jti)) {
      throw apiError('invalid_mfa_token');
    }
    return claims as MfaClaims;
  }
}
