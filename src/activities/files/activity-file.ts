import type { ActivityStreams, StreamSummary } from '../../training/metrics';

export type { ActivityStreams, StreamSummary } from '../../training/metrics';
export type Sport = 'ride' | 'virtual_ride' | 'run' | 'other';
export type FileSource = 'fit' | 'tcx' | 'gpx';

/** What a file says before it is summarised: the samples as recorded and where they start. */
export interface DecodedActivity {
  source: FileSource;
  sport: Sport;
  startTime: Date;
  name: string | null;
  streams: ActivityStreams;
}

export interface ParsedActivity extends DecodedActivity {
  /** Computed from the streams (see src/training/metrics), FTP-independent. */
  summary: StreamSummary;
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
