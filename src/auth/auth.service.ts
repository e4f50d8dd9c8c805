import { Inject, Injectable } from '@nestjs/common';
import { EmailVerificationService } from '../account/email-verification.service';
import { MfaChallengeAnswer, MfaLoginService } from '../mfa/mfa-login.service';
import { AuditService } from '../audit/audit.service';
import { noteForAudit } from '../audit/audit-notes';
import type { ClientInfo } from '../common/decorators';
import { AppConfig } from '../config/app-config';
import { MetricsService } from '../metrics/metrics.service';
import type { Session } from '../sessions/session.entity';
import { SessionsService } from '../sessions/sessions.service';
import { TokenPair, TokenService } from '../sessions/token.service';
import { PasswordService } from '../users/password.service';
import { User } from '../users/user.entity';
import { UsersService } from '../users/users.service';

import { apiError } from '../common/error-codes';

/** Register, login, refresh rotation with reuse detection, logout. */
@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly tokens: TokenService,
    private readonly passwords: PasswordService,
    private readonly audit: AuditService,
    private readonly metrics: MetricsService,
    private readonly verification: EmailVerificationService,
    private readonly mfaLogin: MfaLoginService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async register(email: string, password: string): Promise<User> {
    const user = await this.users.create({ email, password, emailVerified: false });
    noteForAudit({ userId: user.id, resourceId: String(user.id) });
    await this.verification.sendVerification(user);
    return user;
  }

  /** Unknown email and wrong password cost the same bcrypt check and get the same answer. */
  async login(email: string, password: string, client: ClientInfo): Promise<TokenPair | MfaChallengeAnswer> {
    const user = await this.users.findByEmail(email);
    const ok = user
      ? await this.passwords.verify(password, user.hashedPassword)
      : await this.passwords.verifyAgainstDummy(password);
    if (!user || !ok) {
      if (user) {
        // The caller is still anonymous: the targeted account is the row's resource, not its user.
        noteForAudit({ resource: 'user', resourceId: String(user.id) });
      }
      this.metrics.loginFailures.inc();
      throw apiError('invalid_credentials');
    }
    noteForAudit({ userId: user.id, resourceId: String(user.id) });
    if (!user.isActive) {
      throw apiError('account_inactive');
    }
    if (this.config.REQUIRE_EMAIL_VERIFICATION && !user.emailVerified) {
      throw apiError('email_not_verified');
    }
    if (user.mfaEnabled) {
      return this.mfaLogin.challenge(user);
    }
    const session = await this.sessions.create(user.id, client);
    noteForAudit({ resourceId: String(session.id) });
    return this.tokens.pairFor(session, user.email);
  }

  /**
   * Rotates a refresh token. The spent session is replaced by a successor in its family. A spent token
   * presented again within the grace window gets the successor's pair (two tabs refreshing at once);
   * later, it is treated as stolen and the whole family is revoked.
   */
  async refresh(refreshToken: string, client: ClientInfo): Promise<TokenPair> {
    const claims = this.verifyOrThrow(refreshToken);
    if (claims.type !== 'refresh') {
      throw apiError('token_wrong_type');
    }
    const session = await this.sessions.findByRefreshJti(claims.jti);
    if (!session?.user || String(session.userId) !== claims.sub) {
      throw apiError('invalid_refresh_token');
    }
    noteForAudit({ userId: session.userId, resourceId: String(session.id) });
    if (session.isValid && session.rotatedAt === null && session.expiresAt.getTime() > Date.now()) {
      // Only a live session learns that its account is inactive; a revoked one is just a 401.
      if (!session.user.isActive) {
        throw apiError('account_inactive');
      }
      const successor = await this.sessions.create(session.userId, client, session.familyId);
      if (await this.sessions.spend(session.id, successor.id)) {
        return this.tokens.pairFor(successor, session.user.email);
      }
      // Another request rotated this session first: drop ours and answer as that request's twin.
      await this.sessions.delete(successor.id);
      return this.refreshSpent((await this.sessions.findById(session.id)) ?? session);
    }
    return this.refreshSpent(session);
  }

  async logout(sessionId: number): Promise<void> {
    await this.sessions.revoke(sessionId);
  }

  async logoutAll(userId: number): Promise<void> {
    await this.sessions.revokeAllForUser(userId);
  }

  private async refreshSpent(session: Session): Promise<TokenPair> {
    if (session.rotatedAt && session.replacedById !== null) {
      // A grace of 0 means none at all (rotated_at comes from monotonicNow(), which may run a few ms ahead).
      const grace = this.config.REFRESH_REUSE_GRACE_SECONDS * 1000;
      const withinGrace = grace > 0 && Date.now() - session.rotatedAt.getTime() <= grace;
      const successor = withinGrace ? await this.sessions.findById(session.replacedById) : null;
      if (successor?.isValid && successor.user) {
        if (!successor.user.isActive) {
          throw apiError('account_inactive');
        }
        noteForAudit({ resourceId: String(successor.id), details: 'refresh within reuse grace window' });
        return this.tokens.pairFor(successor, successor.user.email);
      }
      const revoked = await this.sessions.revokeFamily(session.familyId);
      await this.audit.recordEvent({
        action: 'refresh_reuse_detected',
        userId: session.userId,
        resource: 'session',
        resourceId: String(session.id),
        statusCode: 401,
        details: `spent refresh token reused; ${revoked} session(s) of its family revoked`,
      });
    }
    throw apiError('invalid_refresh_token');
  }

  private verifyOrThrow(token: string): ReturnType<TokenService['verify']> {
    try {
      return this.tokens.verify(token);
    } catch {
      throw apiError('invalid_refresh_token');
    }
  }
}
