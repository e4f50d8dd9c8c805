import type { ActivitySamples, ParsedActivity } from './activity-file';
import { ActivityFileWorkers } from './activity-file-workers';

let workers: ActivityFileWorkers | null = null;

/**
 * Recognises gzip, FIT, TCX and GPX from the content; inflates gzip within `limitBytes`; decodes,
 * validates and summarises in a worker thread, so the event loop never waits on a file. Rejects with
 * ActivityFileError only (413 too large, also once decompressed; 422 anything else wrong with the file).
 */
export function parseActivityFile(file: Buffer, limitBytes: number): Promise<ParsedActivity> {
  workers ??= new ActivityFileWorkers();
  return workers.run(file, limitBytes);
}

/**
 * Samples recorded elsewhere (Strava's streams) through the same worker, checks and summary as a file's.
 * Rejects with ActivityFileError (422) when a sample is out of range or time goes backwards.
 */
export function parseActivitySamples(samples: ActivitySamples): Promise<ParsedActivity> {
  workers ??= new ActivityFileWorkers();
  return workers.runSamples(samples);
}

/** Stops the idle worker threads (a graceful shutdown may call it; they never hold the process anyway). */
export async function closeActivityFileWorkers(): Promise<void> {
  const current = workers;
  workers = null;
  await current?.close();
}
