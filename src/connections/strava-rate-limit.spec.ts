import { nextDay, nextWindow, pauseAfter } from './strava-rate-limit';

const at = Date.parse('2026-12-02T18:07:30.000Z');
const headers = (h: Record<string, string>): Headers => new Headers(h);

describe("Strava's rate limits", () => {
  it('finds the next 15-minute window and the next UTC midnight', () => {
    expect(new Date(nextWindow(at)).toISOString()).toBe('2026-12-02T18:15:00.000Z');
    expect(new Date(nextWindow(Date.parse('2026-12-02T18:15:00.000Z'))).toISOString()).toBe('2026-12-02T18:30:00.000Z');
    expect(new Date(nextDay(at)).toISOString()).toBe('2026-12-03T00:00:00.000Z');
  });

  it('pauses for Retry-After on a 429, else until the next window', () => {
    expect(pauseAfter(429, headers({ 'retry-after': '42' }), at)).toBe(at + 42_000);
    expect(pauseAfter(429, headers({}), at)).toBe(nextWindow(at));
    expect(pauseAfter(429, headers({ 'retry-after': 'soon' }), at)).toBe(nextWindow(at));
  });

  it('pauses once the 15-minute or the daily budget is spent, and not before', () => {
    const limit = { 'x-ratelimit-limit': '200,2000' };
    expect(pauseAfter(200, headers({ ...limit, 'x-ratelimit-usage': '199,1500' }), at)).toBeNull();
    expect(pauseAfter(200, headers({ ...limit, 'x-ratelimit-usage': '200,1500' }), at)).toBe(nextWindow(at));
    expect(pauseAfter(200, headers({ ...limit, 'x-ratelimit-usage': '12,2000' }), at)).toBe(nextDay(at));
    expect(
      pauseAfter(200, headers({ 'x-readratelimit-limit': '100,1000', 'x-readratelimit-usage': '100,10' }), at),
    ).toBe(nextWindow(at));
    expect(pauseAfter(200, headers({ 'x-ratelimit-limit': 'junk', 'x-ratelimit-usage': '5,5' }), at)).toBeNull();
    // A 429 and a spent daily budget: the later of the two.
    expect(pauseAfter(429, headers({ 'retry-after': '60', ...limit, 'x-ratelimit-usage': '5,2000' }), at)).toBe(
      nextDay(at),
    );
  });
});
