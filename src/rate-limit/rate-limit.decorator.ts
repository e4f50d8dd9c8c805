import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from '../common/error-response.dto';

/** The named limits a route can opt into (their numbers come from the RATE_LIMIT_* settings). */
export const RATE_LIMIT_NAMES = [
  'login-account',
  'login-address',
  'register',
  'refresh',
  'draft',
  'coach-run',
  'password-forgot',
  'export',
] as const;
export type RateLimitName = (typeof RATE_LIMIT_NAMES)[number];

export const RATE_LIMITS = 'lr:rateLimits';

/**
 * Puts a route under one or more named limits, e.g. `@RateLimit('draft')`. Routes without it are not
 * limited. Over the limit the answer is 429 with `Retry-After` (seconds), audited and counted.
 */
export const RateLimit = (...names: RateLimitName[]): MethodDecorator =>
  applyDecorators(
    SetMetadata(RATE_LIMITS, names),
    ApiTooManyRequestsResponse({
      description: `Rate limited (${names.join(', ')}); see the Retry-After header`,
      type: ErrorResponseDto,
    }),
  );
