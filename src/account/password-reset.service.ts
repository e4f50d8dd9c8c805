import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { PasswordService } from '../users/password.service';
import { noteForAudit } from '../audit/audit-notes';
import { AppConfig } from '../config/app-config';
import { MailService } from '../mail/mail.service';
import { SessionsService } from '../sessions/sessions.service';
import { UsersService } from '../users/users.service';
import { AccountMailLimit } from './account-mail-limit';
import { passwordResetMail } from './account-mails';
import { AccountTokensService } from './account-tokens.service';
import { apiError } from '../common/error-codes';

export const FORGOT_ANSWER = 'If the account exists, an email is on its way';

/** "Forgot password" by mail, and the reset that follows it. */
@Injectable()
export class PasswordResetService implements OnModuleDestroy {
  private readonly logger = new Logger(PasswordResetService.name);
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly passwords: PasswordService,
    private readonly tokens: AccountTokensService,
    private readonly mail: MailService,
    private readonly mailLimit: AccountMailLimit,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /**
   * Answers at once and does the work after the answer: the look-up, the token and the mail happen only
   * for a known active account, so doing them inside the request would make its answer time tell
   * whether the account exists.
   */
  forgot(email: string): { detail: string } {
    const work = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.mailResetLink(email))
      .catch((error: Error) => this.logger.error(`Password reset mail not queued: ${error.message}`))
      .finally(() => this.pending.delete(work));
    this.pending.add(work);
    return { detail: FORGOT_ANSWER };
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  private async mailResetLink(email: string): Promise<void> {
    const user = await this.users.findByEmail(email);
    if (!user?.isActive || !(await this.mailLimit.allow(user.email))) {
      return;
    }
    const ttlMinutes = this.config.PASSWORD_RESET_TTL_MINUTES;
    const token = await this.tokens.issue(user.id, 'password_reset', { ttlMs: ttlMinutes * 60_000 });
    await this.mail.send(passwordResetMail(this.config, user.email, user.id, token, ttlMinutes));
  }

  /**
   * Sets the new password and revokes every session. The mail that carried the token also proves the
   * address, so the email counts as verified from now on.
   */
  async reset(token: string, newPassword: string): Promise<void> {
    const spent = await this.tokens.spend(token, ['password_reset']);
    const user = await this.users.findById(spent.userId);
    noteForAudit({ userId: user.id, resourceId: String(user.id) });
    if (!user.isActive) {
      throw apiError('invalid_or_expired_token');
    }
    await this.users.update(user, { hashedPassword: await this.passwords.hash(newPassword), emailVerified: true });
    await this.tokens.supersede(user.id, ['password_reset']);
    const revoked = await this.sessions.revokeAllForUser(user.id);
    noteForAudit({ details: `password reset; ${revoked} session(s) revoked` });
  }
}
