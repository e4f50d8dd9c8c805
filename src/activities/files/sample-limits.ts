/**
 * The range a sample must be in to be believed. Values outside are a broken sensor or a broken file,
 * not a ride, and the whole file is refused (422) rather than stored with numbers that would wreck TSS
 * and the training load. Sprinters peak near 2,000-2,300 W; resting heart rates go down to ~30 bpm and
 * maxima rarely past 220; track sprint cadence tops out near 200 rpm.
 */
export const SAMPLE_LIMITS = {
  power: { min: 0, max: 2500, unit: 'W' },
  heart_rate: { min: 25, max: 250, unit: 'bpm' },
  cadence: { min: 0, max: 250, unit: 'rpm' },
  altitude: { min: -500, max: 9000, unit: 'm' },
  distance: { min: 0, max: 5_000_000, unit: 'm' },
  speed: { min: 0, max: 50, unit: 'm/s' },
} as const;

/** The longest activity accepted (last timestamp minus the first). */
export const MAX_ELAPSED_S = 30 * 86_400;
/** The earliest start accepted: the FIT epoch is 1989-12-31, anything before is a zeroed clock. */
export const EARLIEST_START = Date.UTC(1990, 0, 1);
/** How far ahead of the server's clock a start may be (time zones and skewed device clocks). */
export const MAX_START_AHEAD_MS = 2 * 86_400_000;
