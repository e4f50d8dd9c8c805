import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, LessThan, Or, Repository } from 'typeorm';
import { ProviderRateLimit } from './provider-rate-limit.entity';

const WINDOW_MS = 15 * 60_000;
const DAY_MS = 86_400_000;

/** The start of Strava's next 15-minute window (they begin at :00, :15, :30 and :45 UTC). */
export function nextWindow(now: number): number {
  return Math.floor(now / WINDOW_MS) * WINDOW_MS + WINDOW_MS;
}

/** Next midnight UTC, when Strava's daily limit resets. */
export function nextDay(now: number): number {
  return Math.floor(now / DAY_MS) * DAY_MS + DAY_MS;
}

/** "200,2000" -> [200, 2000]; null when absent or malformed. */
function pair(value: string | null): [number, number] | null {
  const parts = (value ?? '').split(',').map((p) => Number(p.trim()));
  return parts.length === 2 && parts.every((n) => Number.isFinite(n) && n >= 0) ? [parts[0], parts[1]] : null;
}

/**
 * When Strava's API may be called again after a response: its Retry-After on a 429 (else the next
 * 15-minute window), or, from X-RateLimit-Limit/-Usage (and the X-ReadRateLimit-* pair), the next window
 * once the 15-minute budget is spent and midnight UTC once the daily one is. null: no pause needed.
 */
export function pauseAfter(status: number, headers: Headers, now = Date.now()): number | null {
  let until: number | null = null;
  const later = (t: number): void => {
    until = Math.max(until ?? 0, t);
  };
  if (status === 429) {
    const retryAfter = Number(headers.get('retry-after'));
    later(Number.isFinite(retryAfter) && retryAfter > 0 ? now + Math.min(retryAfter, 86_400) * 1000 : nextWindow(now));
  }
  for (const prefix of ['x-ratelimit', 'x-readratelimit']) {
    const limit = pair(headers.get(`${prefix}-limit`));
    const usage = pair(headers.get(`${prefix}-usage`));
    if (!limit || !usage) {
      continue;
    }
    if (limit[1] > 0 && usage[1] >= limit[1]) {
      later(nextDay(now));
    } else if (limit[0] > 0 && usage[0] >= limit[0]) {
      later(nextWindow(now));
    }
  }
  return until;
}

/** Raised instead of calling Strava while the API is paused; the caller reschedules its work for `until`. */
export class StravaPausedError extends Error {
  constructor(readonly until: Date) {
    super(`Strava's rate limit: paused until ${until.toISOString()}`);
  }
}

/**
 * The pause of Strava's API, in the database so every instance honours it (the limits are per application,
 * whichever instance spends them). A pause only ever moves later.
 */
@Injectable()
export class StravaRateLimit {
  private readonly logger = new Logger('Strava');
  private cached: { until: number; readAt: number } = { until: 0, readAt: 0 };

  constructor(@InjectRepository(ProviderRateLimit) private readonly limits: Repository<ProviderRateLimit>) {}

  /** Throws StravaPausedError while paused. */
  async check(): Promise<void> {
    const now = Date.now();
    if (now - this.cached.readAt > 1000) {
      const row = await this.limits.findOneBy({ provider: 'strava' });
      this.cached = { until: row?.pausedUntil?.getTime() ?? 0, readAt: now };
    }
    if (this.cached.until > now) {
      throw new StravaPausedError(new Date(this.cached.until));
    }
  }

  async pauseUntil(until: number, reason: string): Promise<void> {
    const date = new Date(until);
    await this.limits.update(
      { provider: 'strava', pausedUntil: Or(IsNull(), LessThan(date)) },
      { pausedUntil: date, reason: reason.slice(0, 200) },
    );
    this.cached = { until: Math.max(this.cached.until, until), readAt: Date.now() };
    this.logger.warn(`Strava API paused until ${date.toISOString()} (${reason})`);
  }
}
