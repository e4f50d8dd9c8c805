import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash, randomBytes } from 'node:crypto';
import { In, IsNull, MoreThan, Repository } from 'typeorm';
import { monotonicNow } from '../common/clock';
import { AccountToken, AccountTokenPurpose } from './account-token.entity';
import { apiError, ERRORS } from '../common/error-codes';

export const INVALID_TOKEN = ERRORS.invalid_or_expired_token.detail;

/** 256 random bits, base64url (43 characters): what goes in the mailed link. */
const newToken = (): string => randomBytes(32).toString('base64url');
const hashOf = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

export interface IssueOptions {
  ttlMs: number;
  newEmail?: string;
  sessionId?: number;
}

/** Mailed tokens: issued (a newer one supersedes the older ones of its purpose), then spent once. */
@Injectable()
export class AccountTokensService {
  constructor(@InjectRepository(AccountToken) private readonly tokens: Repository<AccountToken>) {}

  /** A new token for the user; the clear token is returned once, for the mail, and never stored. */
  async issue(userId: number, purpose: AccountTokenPurpose, options: IssueOptions): Promise<string> {
    const now = monotonicNow();
    await this.supersede(userId, [purpose], now);
    const token = newToken();
    await this.tokens.insert({
      userId,
      purpose,
      tokenHash: hashOf(token),
      newEmail: options.newEmail ?? null,
      sessionId: options.sessionId ?? null,
      createdAt: now,
      expiresAt: new Date(now.getTime() + options.ttlMs),
      usedAt: null,
    });
    return token;
  }

  /**
   * Spends a token of one of the purposes: one conditional UPDATE, so of two requests racing with the same
   * token exactly one gets the row. Unknown, spent, superseded or expired -> 400 "Invalid or expired token".
   */
  async spend(token: string, purposes: AccountTokenPurpose[]): Promise<AccountToken> {
    const row = await this.tokens.findOneBy({ tokenHash: hashOf(token), purpose: In(purposes) });
    const now = new Date();
    if (!row || row.usedAt !== null || row.expiresAt.getTime() <= now.getTime()) {
      throw apiError('invalid_or_expired_token');
    }
    const result = await this.tokens.update(
      { id: row.id, usedAt: IsNull(), expiresAt: MoreThan(now) },
      { usedAt: monotonicNow() },
    );
    if (result.affected !== 1) {
      throw apiError('invalid_or_expired_token');
    }
    return row;
  }

  /** Spends every live token of these purposes (a newer token, a password reset, a verified address). */
  async supersede(userId: number, purposes: AccountTokenPurpose[], now: Date = monotonicNow()): Promise<void> {
    await this.tokens.update({ userId, purpose: In(purposes), usedAt: IsNull() }, { usedAt: now });
  }
}
