/**
 * Raw samples as recorded (not on the grid), equal-length arrays; a channel the source lacks is null.
 * Declared here, beside the code that reads it, so any source (FIT/TCX/GPX files, Strava's API streams)
 * can be summarised without the metrics depending on a file format.
 */
export interface ActivityStreams {
  /** Seconds from the start, non-decreasing, the first being 0. */
  time: number[];
  power: (number | null)[] | null;
  heart_rate: (number | null)[] | null;
  cadence: (number | null)[] | null;
  /** Metres. */
  altitude: (number | null)[] | null;
  /** Metres from the start. */
  distance: (number | null)[] | null;
  /** Metres per second. */
  speed: (number | null)[] | null;
}
