import { ActivityFileError, type ActivityStreams, type Channel } from './activity-file';
import { EARLIEST_START, MAX_ELAPSED_S, MAX_START_AHEAD_MS, SAMPLE_LIMITS } from './sample-limits';

export type { Channel } from './activity-file';
export const CHANNELS: readonly Channel[] = ['power', 'heart_rate', 'cadence', 'altitude', 'distance', 'speed'];
export type SampleValues = Partial<Record<Channel, number | null | undefined>>;

/**
 * Collects samples from any format and checks each on the way in, so a refusal names the sample
 * (`trackpoint 12 (2026-...)`): values in SAMPLE_LIMITS, time never going backwards. `build()` turns
 * them into streams with seconds from the first timestamp and null for channels never seen.
 */
export class StreamBuilder {
  private readonly times: number[] = [];
  private readonly values = Object.fromEntries(CHANNELS.map((c) => [c, [] as (number | null)[]])) as Record<
    Channel,
    (number | null)[]
  >;
  private readonly present = new Set<Channel>();

  /** `label` names one sample in messages: `record` (FIT) or `trackpoint` (TCX, GPX). */
  constructor(private readonly label: string) {}

  get length(): number {
    return this.times.length;
  }

  add(timeMs: number, sample: SampleValues): void {
    const index = this.times.length;
    if (index > 0 && timeMs < this.times[index - 1]) {
      throw new ActivityFileError(
        422,
        `Time goes backwards at ${this.label} ${index + 1}: ${iso(timeMs)} comes after ${iso(this.times[index - 1])}`,
      );
    }
    this.times.push(timeMs);
    for (const channel of CHANNELS) {
      const value = sample[channel] ?? null;
      if (value !== null) {
        const { min, max, unit } = SAMPLE_LIMITS[channel];
        if (!Number.isFinite(value) || value < min || value > max) {
          throw new ActivityFileError(
            422,
            `Absurd value at ${this.describe(index)}: ${channel} ${value} ${unit} is outside ${min}-${max} ${unit}`,
          );
        }
        this.present.add(channel);
      }
      this.values[channel].push(value);
    }
  }

  /** `record 3 (2026-11-01T08:00:02.000Z)` for messages about sample `index` (0-based). */
  describe(index: number): string {
    const at = this.times[index];
    return `${this.label} ${index + 1}${at === undefined ? '' : ` (${iso(at)})`}`;
  }

  build(): { startTime: Date; streams: ActivityStreams } {
    const n = this.times.length;
    if (n === 0) {
      throw new ActivityFileError(422, `The file has no samples: no ${this.label} with a timestamp`);
    }
    const start = this.times[0];
    const elapsed = (this.times[n - 1] - start) / 1000;
    if (start < EARLIEST_START || start > Date.now() + MAX_START_AHEAD_MS) {
      throw new ActivityFileError(422, `Absurd start time ${iso(start)}: the device clock was not set`);
    }
    if (elapsed > MAX_ELAPSED_S) {
      throw new ActivityFileError(
        422,
        `Absurd duration: ${Math.round(elapsed / 86_400)} days from first to last sample`,
      );
    }
    const channel = (name: Channel): (number | null)[] | null => (this.present.has(name) ? this.values[name] : null);
    return {
      startTime: new Date(start),
      streams: {
        time: this.times.map((t) => (t - start) / 1000),
        power: channel('power'),
        heart_rate: channel('heart_rate'),
        cadence: channel('cadence'),
        altitude: channel('altitude'),
        distance: channel('distance'),
        speed: channel('speed'),
      },
    };
  }
}

function iso(ms: number): string {
  return Number.isFinite(ms) && Math.abs(ms) < 8.64e15 ? new Date(ms).toISOString() : String(ms);
}
