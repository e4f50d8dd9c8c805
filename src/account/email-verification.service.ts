import { Inject, Injectable } from '@nestjs/common';
import { PasswordService } from '../users/password.service';
import { noteForAudit } from '../audit/audit-notes';
import { normalizeEmail } from '../common/email';
import { AppConfig } from '../config/app-config';
import { MailService } from '../mail/mail.service';
import { SessionsService } from '../sessions/sessions.service';
import type { User } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { isUniqueViolation } from '../database/database-errors';
import { AccountMailLimit } from './account-mail-limit';
import { emailChangedNotice, emailChangeMail, verificationMail } from './account-mails';
import type { AccountToken } from './account-token.entity';
import { AccountTokensService } from './account-tokens.service';
import { apiError } from '../common/error-codes';

/** Proving an address: after registration, on request, and before an email change takes effect. */
@Injectable()
export class EmailVerificationService {
  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly passwords: PasswordService,
    private readonly tokens: AccountTokensService,
    private readonly mail: MailService,
    private readonly mailLimit: AccountMailLimit,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  private get ttlMs(): number {
    return this.config.EMAIL_VERIFICATION_TTL_HOURS * 3_600_000;
  }

  /** The verification mail of a new account (registration). */
  async sendVerification(user: User): Promise<void> {
    if (!(await this.mailLimit.allow(user.email))) {
      return;
    }
    const token = await this.tokens.issue(user.id, 'email_verification', { ttlMs: this.ttlMs });
    await this.mail.send(
      verificationMail(this.config, user.email, user.id, token, this.config.EMAIL_VERIFICATION_TTL_HOURS),
    );
  }

  async resend(user: User): Promise<{ detail: string }> {
    noteForAudit({ resourceId: String(user.id) });
    if (user.emailVerified) {
      throw apiError('email_already_verified');
    }
    await this.sendVerification(user);
    return { detail: 'A verification email is on its way' };
  }

  /** Uses a verification token: the address of a new account, or the new address of an email change. */
  async verify(token: string): Promise<void> {
    const spent = await this.tokens.spend(token, ['email_verification', 'email_change']);
    const user = await this.users.findById(spent.userId);
    noteForAudit({ userId: user.id, resourceId: String(user.id) });
    if (!user.isActive) {
      throw apiError('invalid_or_expired_token');
    }
    if (spent.purpose === 'email_change') {
      await this.completeEmailChange(user, spent);
      return;
    }
    await this.users.update(user, { emailVerified: true });
    await this.tokens.supersede(user.id, ['email_verification']);
    noteForAudit({ details: 'email verified' });
  }

  /** Mails a confirmation link to the new address; the address changes only when it is used. */
  async requestEmailChange(
    user: User,
    sessionId: number,
    newEmail: string,
    currentPassword: string,
  ): Promise<{ detail: string }> {
    noteForAudit({ resourceId: String(user.id) });
    if (!(await this.passwords.verify(currentPassword, user.hashedPassword))) {
      throw apiError('current_password_incorrect');
    }
    const email = normalizeEmail(newEmail);
    if (email === user.email || (await this.users.findByEmail(email))) {
      throw apiError('email_taken');
    }
    if (await this.mailLimit.allow(user.email)) {
      const token = await this.tokens.issue(user.id, 'email_change', { ttlMs: this.ttlMs, newEmail: email, sessionId });
      await this.mail.send(
        emailChangeMail(this.config, email, user.id, token, this.config.EMAIL_VERIFICATION_TTL_HOURS),
      );
    }
    noteForAudit({ details: 'email change requested' });
    return { detail: 'A confirmation email was sent to the new address' };
  }

  private async completeEmailChange(user: User, spent: AccountToken): Promise<void> {
    const oldEmail = user.email;
    const newEmail = spent.newEmail!;
    if (await this.users.findByEmail(newEmail)) {
      throw apiError('email_taken');
    }
    try {
      await this.users.update(user, { email: newEmail, emailVerified: true });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw apiError('email_taken');
      }
      throw error;
    }
    await this.tokens.supersede(user.id, ['email_change', 'email_verification', 'password_reset']);
    const revoked = await this.sessions.revokeAllForUser(user.id, spent.sessionId ?? undefined);
    await this.mail.send(emailChangedNotice(oldEmail, user.id, newEmail));
    noteForAudit({ details: `email changed; ${revoked} other session(s) revoked` });
  }
}
