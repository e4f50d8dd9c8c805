import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { normalizeIp, ThrottlerOptions } from '@nestjs/throttler';
import { createHash } from 'node:crypto';
import { normalizeEmail } from '../common/email';
import type { Request } from 'express';
import { currentAuth } from '../common/request-context';
import type { AppConfig } from '../config/app-config';
import { RATE_LIMITS, RateLimitName } from './rate-limit.decorator';

/**
 * Limits that count failed password checks only: every attempt is counted when it arrives (so a burst
 * of parallel guesses cannot overtake the count), and given back once its answer turns out not to be
 * a failure. A success therefore never brings anyone closer to a lock-out.
 */
export const FAILURES_ONLY: ReadonlySet<string> = new Set<RateLimitName>(['login-account', 'login-address']);

/** The answers that mean "that password did not match": 401 at login, 400 on a password change. */
export const isFailedPasswordCheck = (status: number): boolean => status === 400 || status === 401;

const reflector = new Reflector();

const addressOf = (req: Request): string => `address:${normalizeIp(req.ip ?? 'unknown')}`;

/** The account a password is being tried against: the logged-in user, else the email in the body. */
const accountOf = (req: Request): string => {
  const auth = currentAuth();
  if (auth) {
    return `account:${auth.user.email}`;
  }
  const body = req.body as { email?: unknown; mfa_token?: unknown } | undefined;
  const email: unknown = body?.email ?? emailInMfaToken(body?.mfa_token);
  return typeof email === 'string' && email.length <= 1024 ? `account:${normalizeEmail(email)}` : '';
};

/**
 * The account an mfa_token was issued for (its `email` claim), so wrong second-factor codes count against
 * the same per-account limit as wrong passwords. Read without checking the signature: a forged token only
 * spends the count of the account it names, as a login attempt with that email would.
 */
function emailInMfaToken(token: unknown): string | undefined {
  if (typeof token !== 'string' || token.length > 4096) {
    return undefined;
  }
  try {
    const payload: unknown = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
    const email = (payload as { email?: unknown } | null)?.email;
    return typeof email === 'string' ? email : undefined;
  } catch {
    return undefined;
  }
}

const userOrAddressOf = (req: Request): string => {
  const auth = currentAuth();
  return auth ? `user:${auth.user.id}` : addressOf(req);
};

const TRACKERS: Record<RateLimitName, (req: Request) => string> = {
  'login-account': accountOf,
  'login-address': addressOf,
  register: addressOf,
  refresh: addressOf,
  draft: userOrAddressOf,
  'coach-run': userOrAddressOf,
  'password-forgot': addressOf,
  export: userOrAddressOf,
};

/**
 * A limit's key depends on its name and what it counts, not on the route: login and password change
 * share the per-account count. Hashed, so no email or address is stored in Redis in clear.
 */
export const rateLimitKey = (_context: ExecutionContext, tracker: string, name: string): string =>
  `${name}:${createHash('sha256').update(tracker).digest('base64url')}`;

/** The named throttlers, each applied only to routes marked `@RateLimit(name)`. */
export function rateLimitThrottlers(config: AppConfig): ThrottlerOptions[] {
  const numbers: Record<RateLimitName, [limit: number, seconds: number]> = {
    'login-account': [config.RATE_LIMIT_LOGIN_FAILURES_PER_ACCOUNT, config.RATE_LIMIT_LOGIN_WINDOW_SECONDS],
    'login-address': [config.RATE_LIMIT_LOGIN_FAILURES_PER_ADDRESS, config.RATE_LIMIT_LOGIN_WINDOW_SECONDS],
    register: [config.RATE_LIMIT_REGISTER_MAX, config.RATE_LIMIT_REGISTER_WINDOW_SECONDS],
    refresh: [config.RATE_LIMIT_REFRESH_MAX, config.RATE_LIMIT_REFRESH_WINDOW_SECONDS],
    draft: [config.RATE_LIMIT_DRAFT_MAX, config.RATE_LIMIT_DRAFT_WINDOW_SECONDS],
    // Each run may call the LLM: the same numbers as drafts, counted apart.
    'coach-run': [config.RATE_LIMIT_DRAFT_MAX, config.RATE_LIMIT_DRAFT_WINDOW_SECONDS],
    'password-forgot': [config.RATE_LIMIT_PASSWORD_FORGOT_MAX, config.RATE_LIMIT_PASSWORD_FORGOT_WINDOW_SECONDS],
    export: [config.RATE_LIMIT_EXPORT_MAX, config.RATE_LIMIT_EXPORT_WINDOW_SECONDS],
  };
  return (Object.keys(numbers) as RateLimitName[]).map((name) => {
    const [limit, seconds] = numbers[name];
    return {
      name,
      limit,
      ttl: seconds * 1000,
      blockDuration: seconds * 1000,
      getTracker: (req) => TRACKERS[name](req as Request),
      generateKey: rateLimitKey,
      skipIf: (context) =>
        !(reflector.get<RateLimitName[] | undefined>(RATE_LIMITS, context.getHandler()) ?? []).includes(name),
      setHeaders: false,
    };
  });
}
