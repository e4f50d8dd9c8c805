import type { ActivityStreams } from './activity-streams';
import { toOneSecondGrid } from './one-second-grid';
import { summarizeStreams } from './summarize-streams';

/** Streams with 1-Hz-style samples at `time`, every channel given or null. */
function streams(time: number[], channels: Partial<Omit<ActivityStreams, 'time'>> = {}): ActivityStreams {
  return {
    time,
    power: null,
    heart_rate: null,
    cadence: null,
    altitude: null,
    distance: null,
    speed: null,
    ...channels,
  };
}

function seconds(from: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => from + i);
}

describe('summarizeStreams', () => {
  it('gives NP = P, avg = max = P for a ride at constant power', () => {
    const time = seconds(0, 3600);
    const summary = summarizeStreams(streams(time, { power: time.map(() => 250) }));
    expect(summary.normalized_power).toBeCloseTo(250, 9);
    expect(summary.avg_power).toBe(250);
    expect(summary.max_power).toBe(250);
    expect(summary.elapsed_s).toBe(3599);
    expect(summary.moving_s).toBe(3600);
  });

  it('leaves a pause (gap > 10 s) out instead of counting it as zero', () => {
    // 100 s at 100 W, a 100-s stop, 100 s at 300 W.
    const time = [...seconds(0, 100), ...seconds(200, 100)];
    const power = time.map((t) => (t < 100 ? 100 : 300));
    const summary = summarizeStreams(streams(time, { power }));
    expect(summary.elapsed_s).toBe(299);
    expect(summary.moving_s).toBe(200);
    expect(summary.avg_power).toBe(200);
    expect(summary.max_power).toBe(300);
  });

  it('fills gaps of up to 10 s by holding the last value', () => {
    // Samples every 5 s: 100 W holds seconds 0-4, 200 W seconds 5-9, 300 W second 10.
    const summary = summarizeStreams(streams([0, 5, 10], { power: [100, 200, 300], heart_rate: [120, 130, 170] }));
    expect(summary.moving_s).toBe(11);
    expect(summary.avg_power).toBeCloseTo((5 * 100 + 5 * 200 + 300) / 11, 9);
    expect(summary.avg_hr).toBeCloseTo((5 * 120 + 5 * 130 + 170) / 11, 9);
    expect(summary.max_hr).toBe(170);
  });

  it('fills a gap of exactly 10 s and pauses on 11 s', () => {
    expect(summarizeStreams(streams([0, 10, 20])).moving_s).toBe(21);
    expect(summarizeStreams(streams([0, 11, 22])).moving_s).toBe(3);
    expect(summarizeStreams(streams([0, 11, 22])).elapsed_s).toBe(22);
  });

  it('restarts the NP rolling mean after a pause and ignores segments shorter than 30 s', () => {
    // 29 s at 600 W never reach a 30-s window; after the stop, 120 s at 200 W.
    const time = [...seconds(0, 29), ...seconds(100, 120)];
    const power = time.map((t) => (t < 100 ? 600 : 200));
    const summary = summarizeStreams(streams(time, { power }));
    expect(summary.normalized_power).toBeCloseTo(200, 9);
    expect(summary.avg_power).toBeCloseTo((29 * 600 + 120 * 200) / 149, 9);
  });

  it('weights hard efforts: 10 min at 100 W then 10 min at 300 W have NP near the 4th-power mean', () => {
    const time = seconds(0, 1200);
    const power = time.map((t) => (t < 600 ? 100 : 300));
    const np = summarizeStreams(streams(time, { power })).normalized_power ?? 0;
    // Ignoring the 30-s transition: ((100^4 + 300^4) / 2)^(1/4) = 253.1.
    expect(np).toBeGreaterThan(253.1 * 0.99);
    expect(np).toBeLessThan(253.1 * 1.01);
  });

  it('has no NP when no segment lasts 30 s', () => {
    expect(
      summarizeStreams(streams(seconds(0, 29), { power: seconds(0, 29).map(() => 200) })).normalized_power,
    ).toBeNull();
  });

  it('skips missing samples in averages instead of counting them as zero', () => {
    const time = seconds(0, 60);
    const power = time.map((t) => (t % 2 === 0 ? 200 : null));
    const summary = summarizeStreams(streams(time, { power }));
    expect(summary.avg_power).toBe(200);
    expect(summary.normalized_power).toBeCloseTo(200, 9);
  });

  it('takes distance from the last sample and sums the rises of the altitude', () => {
    const summary = summarizeStreams(
      streams([0, 1, 2, 3, 4], { distance: [0, 10, 20, 30, null], altitude: [100, 110, 105, null, 112] }),
    );
    expect(summary.distance_m).toBe(30);
    expect(summary.elevation_gain_m).toBe(17);
  });

  it('gives null for channels a file lacks, and a single sample has no duration', () => {
    const summary = summarizeStreams(streams([0]));
    expect(summary).toEqual({
      elapsed_s: 0,
      moving_s: 1,
      distance_m: null,
      elevation_gain_m: null,
      avg_power: null,
      max_power: null,
      normalized_power: null,
      avg_hr: null,
      max_hr: null,
      avg_cadence: null,
    });
  });

  it('holds the last of several samples within one second, and uses fractional timestamps', () => {
    const grid = toOneSecondGrid([0, 0.5, 1, 1, 2.5]);
    // Second 0: sample 0 (0.5 comes after it); second 1: the later of the two at 1; second 2: still it.
    expect(Array.from(grid.sample)).toEqual([0, 3, 3]);
    expect(Array.from(grid.segmentStart)).toEqual([1, 0, 0]);
  });

  it('bounds the grid by the samples, whatever the timestamps say', () => {
    const grid = toOneSecondGrid([0, 1e9, 2e9]);
    expect(grid.sample.length).toBe(3);
    expect(Array.from(grid.segmentStart)).toEqual([1, 1, 1]);
  });
});
