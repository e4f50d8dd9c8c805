import type { OnApplicationShutdown } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';

export type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * A fixed-window counter per key: the first hit opens a window of `ttl` ms; the hit that goes over
 * `limit` blocks the key for `blockDuration` ms, during which nothing is counted; after the block the
 * count starts again. `refund` gives one hit back (a login that turned out not to be a failure).
 * The memory and Redis stores implement exactly these rules.
 */
export interface RateLimitStore extends ThrottlerStorage {
  refund(key: string): Promise<void>;
}

interface Entry {
  hits: number;
  windowEndsAt: number;
  blockedUntil: number;
}

const SWEEP_INTERVAL_MS = 60_000;
const secondsUntil = (at: number, now: number): number => Math.max(0, Math.ceil((at - now) / 1000));

/** The default store: this process only (one instance, or tests). */
export class MemoryRateLimitStore implements RateLimitStore, OnApplicationShutdown {
  private readonly entries = new Map<string, Entry>();
  private readonly sweeper = setInterval(() => this.sweep(), SWEEP_INTERVAL_MS).unref();

  increment(key: string, ttl: number, limit: number, blockDuration: number): Promise<ThrottlerStorageRecord> {
    const now = Date.now();
    let entry = this.entries.get(key);
    if (entry && entry.blockedUntil > now) {
      return Promise.resolve(this.blocked(entry, limit, now));
    }
    if (!entry || entry.windowEndsAt <= now || entry.blockedUntil > 0) {
      entry = { hits: 0, windowEndsAt: now + ttl, blockedUntil: 0 };
      this.entries.set(key, entry);
    }
    entry.hits += 1;
    if (entry.hits > limit) {
      entry.hits = 0;
      entry.blockedUntil = now + blockDuration;
      return Promise.resolve(this.blocked(entry, limit, now));
    }
    return Promise.resolve({
      totalHits: entry.hits,
      timeToExpire: secondsUntil(entry.windowEndsAt, now),
      isBlocked: false,
      timeToBlockExpire: 0,
    });
  }

  refund(key: string): Promise<void> {
    const entry = this.entries.get(key);
    if (entry && entry.hits > 0 && entry.blockedUntil === 0) {
      entry.hits -= 1;
    }
    return Promise.resolve();
  }

  onApplicationShutdown(): void {
    clearInterval(this.sweeper);
    this.entries.clear();
  }

  private blocked(entry: Entry, limit: number, now: number): ThrottlerStorageRecord {
    const wait = secondsUntil(entry.blockedUntil, now);
    return { totalHits: limit + 1, timeToExpire: wait, isBlocked: true, timeToBlockExpire: wait };
  }

  private sweep(now = Date.now()): void {
    for (const [key, entry] of this.entries) {
      if (entry.windowEndsAt <= now && entry.blockedUntil <= now) {
        this.entries.delete(key);
      }
    }
  }
}
