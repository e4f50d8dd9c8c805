import { Inject, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerException,
  ThrottlerGuard,
  ThrottlerModuleOptions,
  ThrottlerRequest,
} from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { noteForAudit } from '../audit/audit-notes';
import { AppConfig } from '../config/app-config';
import { FAILURES_ONLY, isFailedPasswordCheck } from './rate-limit.policies';
import type { RateLimitStore } from './rate-limit.store';

/**
 * @nestjs/throttler's guard with this API's rules: runs after authentication (so per-user limits know
 * the user), answers 429 with a plain `Retry-After`, notes the limit in the audit row, and gives back
 * the hit of a failures-only limit when the answer was not a failed password check.
 * RATE_LIMIT_ENABLED=false turns every limit off.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  private readonly refundLogger = new Logger('RateLimit');

  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() private readonly store: RateLimitStore,
    reflector: Reflector,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {
    super(options, store, reflector);
  }

  protected override shouldSkip(): Promise<boolean> {
    return Promise.resolve(!this.config.RATE_LIMIT_ENABLED);
  }

  protected override async handleRequest({
    context,
    limit,
    ttl,
    throttler,
    blockDuration,
    getTracker,
    generateKey,
  }: ThrottlerRequest): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request>();
    const res = context.switchToHttp().getResponse<Response>();
    const tracker = await getTracker(req, context);
    if (!tracker) {
      // Nothing to count by (no email in a malformed login body): validation answers that request.
      return true;
    }
    const name = throttler.name ?? 'default';
    const key = generateKey(context, tracker, name);
    const record = await this.store.increment(key, ttl, limit, blockDuration, name);
    if (record.isBlocked) {
      res.setHeader('Retry-After', String(Math.max(1, record.timeToBlockExpire)));
      noteForAudit({ details: `rate limited: ${name}` });
      throw new ThrottlerException('Too many requests, please retry later');
    }
    if (FAILURES_ONLY.has(name)) {
      res.once('finish', () => {
        if (!isFailedPasswordCheck(res.statusCode)) {
          this.store.refund(key).catch((error: Error) => this.refundLogger.error(`Refund failed: ${error.message}`));
        }
      });
    }
    return true;
  }
}
