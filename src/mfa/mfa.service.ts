import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash, randomBytes } from 'node:crypto';
import { IsNull, LessThan, Or, Repository } from 'typeorm';
import { noteForAudit } from '../audit/audit-notes';
import { PasswordService } from '../users/password.service';
import { monotonicNow } from '../common/clock';
import { TokenCipher } from '../crypto/token-cipher';
import { User } from '../users/user.entity';
import { MfaRecoveryCode } from './mfa-recovery-code.entity';
import { acceptedStep, newTotpSecret, totpUri } from './totp';
import { UserMfa } from './user-mfa.entity';
import { apiError } from '../common/error-codes';

export const RECOVERY_CODE_COUNT = 10;

/** A second factor as sent: a 6-digit code from the app, or one of the recovery codes. */
export interface SecondFactor {
  code?: string;
  recovery_code?: string;
}

const secretContext = (userId: number): string => `totp:user:${userId}`;

/** 80 random bits as `xxxx-xxxx-xxxx-xxxx` (lower-case base32). */
function newRecoveryCode(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  const bytes = randomBytes(16);
  const chars = Array.from(bytes, (b) => alphabet[b & 31]).join('');
  return chars.match(/.{4}/g)!.join('-');
}

/** Spaces, dashes and case do not matter when a recovery code is typed back. */
const recoveryHash = (code: string): string =>
  createHash('sha256').update(code.replace(/[\s-]/g, '').toLowerCase()).digest('hex');

/** TOTP two-factor: setup, enabling with a first code, checking a second factor, disabling. */
@Injectable()
export class MfaService {
  constructor(
    @InjectRepository(UserMfa) private readonly mfa: Repository<UserMfa>,
    @InjectRepository(MfaRecoveryCode) private readonly recovery: Repository<MfaRecoveryCode>,
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly cipher: TokenCipher,
    private readonly passwords: PasswordService,
  ) {}

  /** A new secret, stored sealed and not active until `enable` accepts a code made from it. */
  async setup(user: User): Promise<{ secret: string; otpauth_url: string }> {
    noteForAudit({ resourceId: String(user.id) });
    if (user.mfaEnabled) {
      throw apiError('mfa_already_enabled');
    }
    const secret = newTotpSecret();
    await this.mfa.upsert(
      {
        userId: user.id,
        totpSecret: this.cipher.seal(secret, secretContext(user.id)),
        lastUsedStep: null,
        createdAt: monotonicNow(),
      },
      ['userId'],
    );
    return { secret, otpauth_url: totpUri(secret, user.email) };
  }

  /** Turns MFA on with a first good code; returns the ten recovery codes, shown this once. */
  async enable(user: User, code: string): Promise<{ recovery_codes: string[] }> {
    noteForAudit({ resourceId: String(user.id) });
    if (user.mfaEnabled) {
      throw apiError('mfa_already_enabled');
    }
    const row = await this.mfa.findOneBy({ userId: user.id });
    if (!row) {
      throw apiError('mfa_not_set_up');
    }
    if (!(await this.spendCode(row, code))) {
      throw apiError('code_invalid');
    }
    // One conditional UPDATE: of two enables racing, one turns MFA on and hands out the codes.
    const result = await this.users.update({ id: user.id, mfaEnabled: false }, { mfaEnabled: true });
    if (result.affected !== 1) {
      throw apiError('mfa_already_enabled');
    }
    user.mfaEnabled = true;
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    await this.recovery.delete({ userId: user.id });
    await this.recovery.insert(codes.map((c) => ({ userId: user.id, codeHash: recoveryHash(c), usedAt: null })));
    noteForAudit({ details: 'two-factor authentication enabled' });
    return { recovery_codes: codes };
  }

  /** Turns MFA off after the password and a second factor; wrong ones are 400. */
  async disable(user: User, password: string, factor: SecondFactor): Promise<void> {
    noteForAudit({ resourceId: String(user.id) });
    if (!(await this.passwords.verify(password, user.hashedPassword))) {
      throw apiError('password_incorrect');
    }
    if (!user.mfaEnabled || !(await this.checkSecondFactor(user.id, factor))) {
      throw apiError('code_invalid');
    }
    await this.clear(user.id);
    user.mfaEnabled = false;
    noteForAudit({ details: 'two-factor authentication disabled' });
  }

  /** An admin's reset (`PATCH /users/{id}` `{"mfa_enabled": false}`): secret and recovery codes are gone. */
  async clear(userId: number): Promise<void> {
    await this.users.update({ id: userId }, { mfaEnabled: false });
    await this.mfa.delete({ userId });
    await this.recovery.delete({ userId });
  }

  /**
   * Checks and spends a second factor: a TOTP code (its step recorded, so it never works twice) or an
   * unused recovery code. Each is one conditional UPDATE, so two requests racing with one code get one success.
   */
  async checkSecondFactor(userId: number, factor: SecondFactor): Promise<boolean> {
    if (factor.recovery_code !== undefined) {
      const result = await this.recovery.update(
        { userId, codeHash: recoveryHash(factor.recovery_code), usedAt: IsNull() },
        { usedAt: monotonicNow() },
      );
      return result.affected === 1;
    }
    const row = await this.mfa.findOneBy({ userId });
    return row !== null && factor.code !== undefined && this.spendCode(row, factor.code);
  }

  private async spendCode(row: UserMfa, code: string): Promise<boolean> {
    const secret = this.cipher.open(row.totpSecret, secretContext(row.userId));
    const step = await acceptedStep(secret, code, row.lastUsedStep);
    if (step === null) {
      return false;
    }
    const result = await this.mfa.update(
      { userId: row.userId, lastUsedStep: Or(IsNull(), LessThan(step)) },
      { lastUsedStep: step },
    );
    return result.affected === 1;
  }
}
