import { Inject, Injectable } from '@nestjs/common';
import { InjectThrottlerStorage } from '@nestjs/throttler';
import { createHash } from 'node:crypto';
import { AppConfig } from '../config/app-config';
import type { RateLimitStore } from '../rate-limit/rate-limit.store';

/**
 * Mails about one account (reset links, verification links) are limited per account *silently*: over the
 * limit the request still answers as usual and no mail goes out, so the limit tells nothing about whether
 * the account exists. Shares the rate limiter's store (Redis when configured).
 */
@Injectable()
export class AccountMailLimit {
  constructor(
    @InjectThrottlerStorage() private readonly store: RateLimitStore,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /** Counts one mail for the account; false when it is over the limit (send nothing). */
  async allow(email: string): Promise<boolean> {
    if (!this.config.RATE_LIMIT_ENABLED) {
      return true;
    }
    const name = 'account-mails';
    const key = `${name}:${createHash('sha256').update(`account:${email}`).digest('base64url')}`;
    const windowMs = this.config.RATE_LIMIT_ACCOUNT_MAILS_WINDOW_SECONDS * 1000;
    const record = await this.store.increment(key, windowMs, this.config.RATE_LIMIT_ACCOUNT_MAILS_MAX, windowMs, name);
    return !record.isBlocked;
  }
}
