import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { AppConfig } from '../config/app-config';
import { rateLimitThrottlers } from './rate-limit.policies';
import { MemoryRateLimitStore, RateLimitStore } from './rate-limit.store';
import { RedisRateLimitStore } from './redis-rate-limit.store';

/** In memory by default; in Redis (shared by every instance) when REDIS_URL is set and limits are on. */
async function createStore(config: AppConfig): Promise<RateLimitStore> {
  if (config.REDIS_URL && config.RATE_LIMIT_ENABLED) {
    return new RedisRateLimitStore(config.REDIS_URL, config.RATE_LIMIT_REDIS_PREFIX).connect();
  }
  return new MemoryRateLimitStore();
}

/** @nestjs/throttler configured from AppConfig; the guard itself is registered in AppModule after authentication. */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: async (config: AppConfig) => ({
        throttlers: rateLimitThrottlers(config),
        storage: await createStore(config),
      }),
    }),
  ],
})
export class RateLimitModule {}
