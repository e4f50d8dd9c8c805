import { Logger, OnApplicationShutdown } from '@nestjs/common';
import type Redis from 'ioredis';
import { MemoryRateLimitStore, RateLimitStore, ThrottlerStorageRecord } from './rate-limit.store';

/** The memory store's rules in one atomic script: KEYS = hits, block; ARGV = ttl ms, limit, block ms. */
const INCREMENT = `
local blocked = redis.call('PTTL', KEYS[2])
if blocked > 0 then
  return {tonumber(ARGV[2]) + 1, blocked, 1, blocked}
end
local hits = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
if hits > tonumber(ARGV[2]) then
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
  redis.call('DEL', KEYS[1])
  return {hits, tonumber(ARGV[3]), 1, tonumber(ARGV[3])}
end
return {hits, ttl, 0, 0}`;

const REFUND = `
if tonumber(redis.call('GET', KEYS[1]) or '0') > 0 then
  redis.call('DECR', KEYS[1])
end
return 0`;

type ScriptReply = [number, number, number, number];

interface ScriptedRedis extends Redis {
  rateLimitIncrement(
    hitsKey: string,
    blockKey: string,
    ttl: number,
    limit: number,
    block: number,
  ): Promise<ScriptReply>;
  rateLimitRefund(hitsKey: string): Promise<number>;
}

/**
 * Shared limiter state for several instances (REDIS_URL). Each operation is one Lua script, so
 * concurrent hits from different instances cannot slip past a limit. While Redis is unreachable the
 * limits keep holding per instance (an in-memory fallback) rather than failing every limited route.
 */
export class RedisRateLimitStore implements RateLimitStore, OnApplicationShutdown {
  private readonly logger = new Logger('RateLimit');
  private readonly fallback = new MemoryRateLimitStore();
  private readonly redis: ScriptedRedis;
  private healthy = true;

  /** Uses the app's shared connection (RedisModule), which also owns its shutdown. */
  constructor(
    redis: Redis,
    private readonly prefix: string,
  ) {
    redis.defineCommand('rateLimitIncrement', { numberOfKeys: 2, lua: INCREMENT });
    redis.defineCommand('rateLimitRefund', { numberOfKeys: 1, lua: REFUND });
    redis.on('error', (error: Error) => this.degrade(error));
    redis.on('ready', () => this.recover());
    this.redis = redis as ScriptedRedis;
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number): Promise<ThrottlerStorageRecord> {
    try {
      const [hits, expiresIn, blocked, blockExpiresIn] = await this.redis.rateLimitIncrement(
        this.hitsKey(key),
        this.blockKey(key),
        ttl,
        limit,
        blockDuration,
      );
      this.recover();
      return {
        totalHits: hits,
        timeToExpire: Math.ceil(expiresIn / 1000),
        isBlocked: blocked === 1,
        timeToBlockExpire: Math.ceil(blockExpiresIn / 1000),
      };
    } catch (error) {
      this.degrade(error as Error);
      return this.fallback.increment(key, ttl, limit, blockDuration);
    }
  }

  async refund(key: string): Promise<void> {
    try {
      await this.redis.rateLimitRefund(this.hitsKey(key));
    } catch (error) {
      this.degrade(error as Error);
      await this.fallback.refund(key);
    }
  }

  onApplicationShutdown(): void {
    this.fallback.onApplicationShutdown();
  }

  // The braces make both keys of one counter hash to the same Redis Cluster slot (one script, two keys).
  private hitsKey(key: string): string {
    return `${this.prefix}{${key}}:hits`;
  }

  private blockKey(key: string): string {
    return `${this.prefix}{${key}}:block`;
  }

  private degrade(error: Error): void {
    if (this.healthy) {
      this.healthy = false;
      this.logger.error(`Redis unavailable, limits now count per instance until it is back: ${error.message}`);
    }
  }

  private recover(): void {
    if (!this.healthy) {
      this.healthy = true;
      this.logger.log('Redis reachable again: limits are shared across instances');
    }
  }
}
