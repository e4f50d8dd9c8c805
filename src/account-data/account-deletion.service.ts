import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { noteForAudit } from '../audit/audit-notes';
import { PasswordService } from '../users/password.service';
import { ConnectionsService } from '../connections/connections.service';
import { runTransactionScript } from '../database/transaction-script';
import { MfaService } from '../mfa/mfa.service';
import { User } from '../users/user.entity';
import { deleteAccountScript } from './delete-account.script';
import type { DeleteAccountDto } from './dto/delete-account.dto';
import { apiError, ERRORS } from '../common/error-codes';

export const LAST_ADMIN = ERRORS.last_active_admin.detail;

/**
 * `DELETE /users/me`: the password (and a second factor when MFA is on) first, nothing changed when either
 * is wrong; then the account and everything it owns go in one transaction (delete-account.script.ts).
 */
@Injectable()
export class AccountDeletionService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly passwords: PasswordService,
    private readonly mfa: MfaService,
    private readonly connections: ConnectionsService,
  ) {}

  async delete(user: User, dto: DeleteAccountDto): Promise<void> {
    noteForAudit({ resourceId: String(user.id) });
    if (!(await this.passwords.verify(dto.password, user.hashedPassword))) {
      throw apiError('password_incorrect');
    }
    // Checked before the second factor so a refused admin does not spend a code (and again in the transaction).
    if (user.isAdmin && (await this.users.countBy({ isAdmin: true, isActive: true })) <= 1) {
      throw apiError('last_active_admin');
    }
    if (user.mfaEnabled && !(await this.mfa.checkSecondFactor(user.id, dto))) {
      const sent = dto.code !== undefined || dto.recovery_code !== undefined;
      throw apiError(sent ? 'code_invalid' : 'code_required');
    }
    // Outside the transaction (a call to Strava); the tokens are needed for it and go with the account.
    await this.connections.deauthorizeAll(user.id);
    const outcome = await runTransactionScript(this.db, (dialect) => deleteAccountScript(user.id, dialect));
    if (outcome.status === 'last_admin') {
      throw apiError('last_active_admin');
    }
    if (outcome.status === 'deleted') {
      // This request's own row, renamed `account_deleted`, is the final one: scrubbed like the others.
      noteForAudit({
        action: 'account_deleted',
        details: `account deleted; ${outcome.auditRowsScrubbed} audit row(s) scrubbed`,
        redact: outcome.redact,
      });
    }
  }
}
