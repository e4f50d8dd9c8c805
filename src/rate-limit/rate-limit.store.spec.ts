import { MemoryRateLimitStore } from './rate-limit.store';

describe('MemoryRateLimitStore', () => {
  let store: MemoryRateLimitStore;

  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2025-01-01T00:00:00Z') });
    store = new MemoryRateLimitStore();
  });
  afterEach(() => {
    store.onApplicationShutdown();
    jest.useRealTimers();
  });

  const hit = (key = 'k') => store.increment(key, 60_000, 3, 30_000);

  it('allows `limit` hits in a window, blocks the next for the block duration, then starts again', async () => {
    for (let i = 1; i <= 3; i++) {
      expect(await hit()).toMatchObject({ totalHits: i, isBlocked: false, timeToExpire: 60 });
    }
    expect(await hit()).toMatchObject({ isBlocked: true, timeToBlockExpire: 30 });
    jest.advanceTimersByTime(10_000);
    expect(await hit()).toMatchObject({ isBlocked: true, timeToBlockExpire: 20 });
    jest.advanceTimersByTime(20_001);
    expect(await hit()).toMatchObject({ totalHits: 1, isBlocked: false });
  });

  it('forgets hits once their window has passed', async () => {
    await hit();
    await hit();
    jest.advanceTimersByTime(60_001);
    expect(await hit()).toMatchObject({ totalHits: 1, isBlocked: false, timeToExpire: 60 });
  });

  it('gives a hit back on refund, never below zero, and keeps keys apart', async () => {
    await hit();
    await hit();
    await store.refund('k');
    expect(await hit()).toMatchObject({ totalHits: 2 });
    await store.refund('other');
    await store.refund('other');
    expect(await hit('other')).toMatchObject({ totalHits: 1 });
  });

  it('does not shorten a block on refund', async () => {
    for (let i = 0; i < 4; i++) {
      await hit();
    }
    await store.refund('k');
    expect(await hit()).toMatchObject({ isBlocked: true });
  });
});
