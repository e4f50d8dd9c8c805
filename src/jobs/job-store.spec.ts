import { retryDelayMs } from './job-store';

describe('retryDelayMs (the back-off after a failed attempt, as pg-boss computes it)', () => {
  it.each([
    [1, 30, 30_000, 60_000],
    [2, 30, 60_000, 120_000],
    [3, 30, 120_000, 240_000],
    [1, 1, 1_000, 2_000],
    [4, 1, 8_000, 16_000],
  ])('after attempt %p with a %p s delay waits from %p to %p ms', (attempt, delay, least, most) => {
    expect(retryDelayMs(attempt, delay, 0)).toBe(least);
    expect(retryDelayMs(attempt, delay, 1)).toBe(most);
    expect(retryDelayMs(attempt, delay, 0.5)).toBe((least + most) / 2);
  });

  it('stops growing after 16 doublings', () => {
    expect(retryDelayMs(40, 1, 0)).toBe(retryDelayMs(16, 1, 0));
    expect(retryDelayMs(16, 1, 0)).toBe(2 ** 15 * 1000);
  });
});
