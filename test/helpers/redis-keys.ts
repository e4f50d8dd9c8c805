import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';

/** The Redis server the suites share (CI: TEST_REDIS_URL); it outlives every run. */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A key prefix of one suite's own (RATE_LIMIT_REDIS_PREFIX), so no count reaches another suite or run. */
export const suiteKeyPrefix = (name = 'lr-test'): string => `${name}:${randomBytes(4).toString('hex')}:`;

/** Deletes every key under `prefix`: a suite's clean-up. */
export async function dropKeys(prefix: string): Promise<void> {
  const redis = new Redis(TEST_REDIS_URL);
  try {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) {
      await redis.del(...keys);
    }
  } finally {
    redis.disconnect();
  }
}
