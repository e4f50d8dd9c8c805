import { Injectable } from '@nestjs/common';
import { noteForAudit } from '../audit/audit-notes';
import { MfaService } from '../mfa/mfa.service';
import { SessionsService } from '../sessions/sessions.service';
import { PasswordService } from '../users/password.service';
import { User } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { apiError } from '../common/error-codes';

export interface AdminChanges {
  isActive?: boolean;
  isAdmin?: boolean;
  /** Only `false`: clears the user's two-factor authentication. */
  mfaEnabled?: boolean;
}

/**
 * Account changes whose effect reaches the user's sessions: a password change ends every other
 * session, a deactivation ends them all. The account row is written first, so a login racing the
 * change either fails (new password, inactive account) or creates a session the revocation catches.
 */
@Injectable()
export class AccountsService {
  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly passwords: PasswordService,
    private readonly mfa: MfaService,
  ) {}

  async changePassword(
    user: User,
    currentSessionId: number,
    currentPassword: string,
    newPassword: string,
  ): Promise<void> {
    noteForAudit({ resourceId: String(user.id) });
    if (!(await this.passwords.verify(currentPassword, user.hashedPassword))) {
      throw apiError('current_password_incorrect');
    }
    await this.users.update(user, { hashedPassword: await this.passwords.hash(newPassword) });
    const revoked = await this.sessions.revokeAllForUser(user.id, currentSessionId);
    noteForAudit({ details: `password changed; ${revoked} other session(s) revoked` });
  }

  /** An admin's change to an account; no admin can deactivate or demote themselves. */
  async updateByAdmin(admin: User, userId: number, changes: AdminChanges): Promise<User> {
    const user = await this.users.findById(userId);
    if (user.id === admin.id && (changes.isActive === false || changes.isAdmin === false)) {
      throw apiError('own_account_protected');
    }
    const applied: AdminChanges = {};
    if (changes.isActive !== undefined && changes.isActive !== user.isActive) {
      applied.isActive = changes.isActive;
    }
    if (changes.isAdmin !== undefined && changes.isAdmin !== user.isAdmin) {
      applied.isAdmin = changes.isAdmin;
    }
    if (Object.keys(applied).length > 0) {
      await this.users.update(user, applied);
    }
    if (changes.mfaEnabled === false && user.mfaEnabled) {
      await this.mfa.clear(user.id);
      user.mfaEnabled = false;
      applied.mfaEnabled = false;
    }
    // Revoked even when the account was already inactive: no session of an inactive account survives this.
    const revoked = changes.isActive === false ? await this.sessions.revokeAllForUser(user.id) : 0;
    noteForAudit({ details: describeChanges(applied, revoked) });
    return user;
  }
}

function describeChanges(applied: AdminChanges, revoked: number): string {
  const parts: string[] = [];
  if (applied.isActive !== undefined) {
    parts.push(`is_active=${String(applied.isActive)}`);
  }
  if (applied.isAdmin !== undefined) {
    parts.push(`is_admin=${String(applied.isAdmin)}`);
  }
  if (applied.mfaEnabled !== undefined) {
    parts.push('mfa_enabled=false');
  }
  return `${parts.join(', ') || 'no change'}; ${revoked} session(s) revoked`;
}
