export {
  ActivityFileError,
  type ActivityStreams,
  type DecodedActivity,
  type FileSource,
  type ParsedActivity,
  type Sport,
  type StreamSummary,
} from './activity-file';
export { parseActivityFile, closeActivityFileWorkers, prewarmActivityFileWorkers } from './parse-activity-file';
export { SAMPLE_LIMITS } from './sample-limits';
