export {
  ActivityFileError,
  type ActivitySamples,
  type ActivityStreams,
  type Channel,
  type DecodedActivity,
  type FileSource,
  type ParsedActivity,
  type Sport,
  type StreamSummary,
} from './activity-file';
export { parseActivityFile, parseActivitySamples, closeActivityFileWorkers } from './parse-activity-file';
export { SAMPLE_LIMITS } from './sample-limits';
