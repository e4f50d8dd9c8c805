import type { ActivityStreams } from './activity-streams';
import { toOneSecondGrid, type OneSecondGrid } from './one-second-grid';

/** FTP-independent numbers of one activity, unrounded (the routes round for responses). */
export interface StreamSummary {
  /** Last timestamp minus the first. */
  elapsed_s: number;
  /** Grid seconds outside pauses (gaps > 10 s). */
  moving_s: number;
  distance_m: number | null;
  elevation_gain_m: number | null;
  avg_power: number | null;
  max_power: number | null;
  normalized_power: number | null;
  avg_hr: number | null;
  max_hr: number | null;
  avg_cadence: number | null;
}

/** The rolling window of normalized power, in seconds. */
export const NP_WINDOW_S = 30;

/**
 * Summarises raw streams on the 1-second grid (see one-second-grid.ts). Averages and maxima are over
 * the grid's moving seconds that have a value (a missing sample is skipped, never counted as zero).
 */
export function summarizeStreams(streams: ActivityStreams): StreamSummary {
  const { time } = streams;
  const grid = toOneSecondGrid(time);
  const power = streams.power ? gridStats(streams.power, grid) : null;
  const heartRate = streams.heart_rate ? gridStats(streams.heart_rate, grid) : null;
  const cadence = streams.cadence ? gridStats(streams.cadence, grid) : null;
  return {
    elapsed_s: time.length > 0 ? time[time.length - 1] - time[0] : 0,
    moving_s: grid.sample.length,
    distance_m: streams.distance ? lastValue(streams.distance) : null,
    elevation_gain_m: streams.altitude ? elevationGain(streams.altitude) : null,
    avg_power: power?.avg ?? null,
    max_power: power?.max ?? null,
    normalized_power: streams.power ? normalizedPower(streams.power, grid) : null,
    avg_hr: heartRate?.avg ?? null,
    max_hr: heartRate?.max ?? null,
    avg_cadence: cadence?.avg ?? null,
  };
}

function gridStats(values: readonly (number | null)[], grid: OneSecondGrid): { avg: number; max: number } | null {
  let sum = 0;
  let count = 0;
  let max = -Infinity;
  for (const i of grid.sample) {
    const v = values[i];
    if (v !== null) {
      sum += v;
      count++;
      if (v > max) {
        max = v;
      }
    }
  }
  return count > 0 ? { avg: sum / count, max } : null;
}

/**
 * Normalized power (Coggan, "Training and Racing with a Power Meter"): the 30-s rolling mean of 1-s
 * power, raised to the 4th power, averaged, 4th root. The rolling mean is taken once a segment between
 * pauses has 30 seconds and restarts after a pause; a missing sample leaves the window's mean to the
 * seconds that have one. Null when no segment lasts 30 s or there is no power at all.
 */
export function normalizedPower(power: readonly (number | null)[], grid: OneSecondGrid): number | null {
  const { sample, segmentStart } = grid;
  const window = new Float64Array(NP_WINDOW_S);
  const has = new Uint8Array(NP_WINDOW_S);
  let sum = 0;
  let count = 0;
  let filled = 0;
  let fourthPowers = 0;
  let means = 0;
  for (let j = 0; j < sample.length; j++) {
    if (segmentStart[j] === 1) {
      window.fill(0);
      has.fill(0);
      sum = 0;
      count = 0;
      filled = 0;
    }
    const slot = j % NP_WINDOW_S;
    sum -= window[slot];
    count -= has[slot];
    const v = power[sample[j]];
    window[slot] = v ?? 0;
    has[slot] = v === null ? 0 : 1;
    sum += window[slot];
    count += has[slot];
    filled++;
    if (filled >= NP_WINDOW_S && count > 0) {
      const mean = sum / count;
      fourthPowers += mean * mean * mean * mean;
      means++;
    }
  }
  return means > 0 ? Math.pow(fourthPowers / means, 0.25) : null;
}

function lastValue(values: readonly (number | null)[]): number | null {
  for (let i = values.length - 1; i >= 0; i--) {
    const v = values[i];
    if (v !== null) {
      return v;
    }
  }
  return null;
}

/** The sum of the rises between consecutive known altitudes (no smoothing, so anyone can recompute it). */
function elevationGain(altitude: readonly (number | null)[]): number | null {
  let previous: number | null = null;
  let gain = 0;
  for (const a of altitude) {
    if (a === null) {
      continue;
    }
    if (previous !== null && a > previous) {
      gain += a - previous;
    }
    previous = a;
  }
  return previous === null ? null : gain;
}
