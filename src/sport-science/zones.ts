import type { ActivityStreams } from './activity-streams';
import { toOneSecondGrid } from './one-second-grid';

export interface Zone {
  zone: number;
  name: string;
  /** The lower boundary (0 for zone 1). */
  min: number;
  /** The next boundary minus 1; null for the top zone. */
  max: number | null;
}

/** Coggan's seven power levels, boundaries in % of FTP. */
const POWER_BOUNDARIES_PCT = [55, 75, 90, 105, 120, 150];
const POWER_NAMES = ['Active Recovery', 'Endurance', 'Tempo', 'Threshold', 'VO2max', 'Anaerobic', 'Neuromuscular'];
/** Coggan's five heart-rate levels, boundaries in % of threshold heart rate (lactate threshold HR). */
const HEART_RATE_BOUNDARIES_PCT = [68, 83, 94, 105];
const HEART_RATE_NAMES = ['Active Recovery', 'Endurance', 'Tempo', 'Threshold', 'VO2max'];

export function powerZones(ftp: number): Zone[] {
  return zonesFrom(boundaries(ftp, POWER_BOUNDARIES_PCT), POWER_NAMES);
}

export function heartRateZones(thresholdHr: number): Zone[] {
  return zonesFrom(boundaries(thresholdHr, HEART_RATE_BOUNDARIES_PCT), HEART_RATE_NAMES);
}

/** The highest whole watt a power histogram counts; anything above is counted there (above every zone boundary). */
export const HISTOGRAM_MAX_WATTS = 2500;

/**
 * Seconds of 1-s grid power at each whole watt (index = the watts rounded down, 0 to HISTOGRAM_MAX_WATTS);
 * paused and missing seconds count nowhere. Enough to give the time in zones for any FTP without the
 * streams, since every zone boundary is a whole number of watts.
 */
export function powerHistogram(streams: ActivityStreams): Uint32Array {
  const seconds = new Uint32Array(HISTOGRAM_MAX_WATTS + 1);
  const { power } = streams;
  if (!power) {
    return seconds;
  }
  for (const i of toOneSecondGrid(streams.time).sample) {
    const watts = power[i];
    if (watts !== null) {
      seconds[Math.max(0, Math.min(HISTOGRAM_MAX_WATTS, Math.floor(watts)))]++;
    }
  }
  return seconds;
}

/** Seconds in each of the 7 power zones of `ftp`, from a powerHistogram. */
export function zonesOfHistogram(histogram: Uint32Array, ftp: number): number[] {
  const seconds = [0, 0, 0, 0, 0, 0, 0];
  const bounds = boundaries(ftp, POWER_BOUNDARIES_PCT);
  let zone = 0;
  for (let watts = 0; watts < histogram.length; watts++) {
    while (zone < bounds.length && watts >= bounds[zone]) {
      zone++;
    }
    seconds[zone] += histogram[watts];
  }
  return seconds;
}

/** Seconds of 1-s grid power in each of the 7 zones of `ftp` (paused and missing seconds count nowhere). */
export function timeInPowerZones(streams: ActivityStreams, ftp: number): number[] {
  return zonesOfHistogram(powerHistogram(streams), ftp);
}

/** Each boundary rounded half up to the nearest unit (integer arithmetic first, so 137.5 is not 137.4999). */
function boundaries(reference: number, percents: number[]): number[] {
  return percents.map((pct) => Math.round((reference * pct) / 100));
}

function zonesFrom(bounds: number[], names: string[]): Zone[] {
  return names.map((name, index) => ({
    zone: index + 1,
    name,
    min: index === 0 ? 0 : bounds[index - 1],
    max: index < bounds.length ? bounds[index] - 1 : null,
  }));
}
