import type { ActivityStreams, StreamSummary } from '../../sport-science';

export type { ActivityStreams, StreamSummary } from '../../sport-science';
export type Sport = 'ride' | 'virtual_ride' | 'run' | 'other';
export type FileSource = 'fit' | 'tcx' | 'gpx';
/** Where samples come from: a file, or another service's recorded streams. */
export type SampleSource = FileSource | 'strava';
export type Channel = Exclude<keyof ActivityStreams, 'time'>;

/** What a file says before it is summarised: the samples as recorded and where they start. */
export interface DecodedActivity {
  source: SampleSource;
  sport: Sport;
  startTime: Date;
  name: string | null;
  streams: ActivityStreams;
}

/**
 * Samples recorded elsewhere (Strava's streams): seconds from `startTime` and one array per channel the
 * recording has, each as long as `time`. They are checked and summarised exactly as a file's samples.
 */
export interface ActivitySamples extends Omit<DecodedActivity, 'streams'> {
  time: number[];
  channels: Partial<Record<Channel, (number | null)[]>>;
}

/**
 * What the worker thread hands back: everything the upload needs, and no streams as JS arrays (cloning
 * 7 arrays of 14,400 values between threads cost milliseconds on each side); the two typed arrays are
 * transferred, not copied.
 */
export interface ParsedActivity extends Omit<DecodedActivity, 'streams'> {
  /** Computed from the streams (see src/sport-science), FTP-independent. */
  summary: StreamSummary;
  /** Grid seconds at each whole watt (sport-science powerHistogram): time in zones for any FTP; null without power. */
  powerHistogram: Uint32Array | null;
  /** The streams as stored in activity_streams (streams-codec.ts). */
  encodedStreams: Uint8Array;
}

/**
 * Why a file was refused: 413 when it is too large (also once decompressed), 422 when it is not an
 * activity file, corrupt, truncated, or its samples make no sense. `message` is meant for the client
 * (the 422 item's `msg`): it says what is wrong and never carries a stack or a path.
 */
export class ActivityFileError extends Error {
  constructor(
    readonly status: 413 | 422,
    message: string,
  ) {
    super(message);
    this.name = 'ActivityFileError';
  }
}
