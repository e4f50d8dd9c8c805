import { Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import type Redis from 'ioredis';
import { AppConfig } from '../config/app-config';

/** The app's one Redis connection (`@Inject(REDIS)`), or null when REDIS_URL is not set. */
export const REDIS = Symbol('REDIS');

async function connectRedis(config: AppConfig): Promise<Redis | null> {
  if (!config.REDIS_URL) {
    return null;
  }
  // Loaded only when REDIS_URL is set: an instance without Redis never loads ioredis.
  const { Redis: RedisClient } = await import('ioredis');
  const redis = new RedisClient(config.REDIS_URL, {
    lazyConnect: true,
    // Fail commands at once while disconnected (callers fall back or report not ready) instead of queueing.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    // How long a closing socket may linger (a refused one never reports its close): keeps shutdown quick.
    disconnectTimeout: 500,
  });
  // Without a listener ioredis reports every failed reconnect as an unhandled error; users of the
  // client log what matters to them.
  redis.on('error', () => undefined);
  await redis
    .connect()
    .catch((error: Error) => new Logger('Redis').error(`Redis unreachable at start-up, retrying: ${error.message}`));
  return redis;
}

/** Imported by the features that use Redis (rate limits, readiness); one connection, closed at shutdown. */
@Module({
  providers: [{ provide: REDIS, inject: [AppConfig], useFactory: connectRedis }],
  exports: [REDIS],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis | null) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis?.quit().catch(() => this.redis?.disconnect());
  }
}
