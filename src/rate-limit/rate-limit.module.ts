import { Module } from '@nestjs/common';
import type Redis from 'ioredis';
import { REDIS, RedisModule } from '../redis/redis.module';
import { ThrottlerModule } from '@nestjs/throttler';
import { AppConfig } from '../config/app-config';
import { rateLimitThrottlers } from './rate-limit.policies';
import { MemoryRateLimitStore, RateLimitStore } from './rate-limit.store';
import { RedisRateLimitStore } from './redis-rate-limit.store';

/** In memory by default; in Redis (shared by every instance) when REDIS_URL is set and limits are on. */
function createStore(config: AppConfig, redis: Redis | null): RateLimitStore {
  if (redis && config.RATE_LIMIT_ENABLED) {
    return new RedisRateLimitStore(redis, config.RATE_LIMIT_REDIS_PREFIX);
  }
  return new MemoryRateLimitStore();
}

/** @nestjs/throttler configured from AppConfig; the guard itself is registered in AppModule after authentication. */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      imports: [RedisModule],
      inject: [AppConfig, REDIS],
      useFactory: (config: AppConfig, redis: Redis | null) => ({
        throttlers: rateLimitThrottlers(config),
        storage: createStore(config, redis),
      }),
    }),
  ],
})
export class RateLimitModule {}
