import { gunzipSync } from 'node:zlib';
import { powerHistogram, summarizeStreams } from '../../sport-science';
import { encodeStreams } from '../streams-codec';
import { ActivityFileError, type ActivitySamples, type DecodedActivity, type ParsedActivity } from './activity-file';
import { decodeFit } from './fit-file';
import { decodeGpx } from './gpx-file';
import { CHANNELS, StreamBuilder } from './stream-builder';
import { decodeTcx } from './tcx-file';
import { refuseDeclarations } from './xml-reader';

const NOT_AN_ACTIVITY = 'Not an activity file: expected FIT, TCX or GPX (optionally gzip-compressed)';

/**
 * The whole synchronous pipeline: recognise the content, inflate gzip within `limitBytes`, decode,
 * validate, summarise, count the seconds per watt and compress the streams for storage. It runs inside the worker thread (activity-file.worker.ts); call
 * parseActivityFile instead, which keeps it off the event loop. Throws ActivityFileError for bad input.
 */
export function decodeActivityFile(file: Buffer, limitBytes: number): ParsedActivity {
  if (file.length > limitBytes) {
    throw new ActivityFileError(413, `The file is larger than the ${limitBytes}-byte limit`);
  }
  let content = file;
  if (isGzip(content)) {
    content = inflate(content, limitBytes);
    if (isGzip(content)) {
      throw new ActivityFileError(422, 'A gzip inside a gzip is not accepted: compress the activity file once');
    }
  }
  return summarizeDecoded(decode(content));
}

/**
 * Samples recorded elsewhere (Strava's streams) through the same checks as a file's (values in range,
 * time never going backwards) and the same summary: the entry point for activities that are not files.
 */
export function decodeActivitySamples(samples: ActivitySamples): ParsedActivity {
  const { time, channels, ...decoded } = samples;
  const builder = new StreamBuilder('sample');
  const start = decoded.startTime.getTime();
  for (const [channel, values] of Object.entries(channels)) {
    if (values && values.length !== time.length) {
      throw new ActivityFileError(422, `The ${channel} stream has ${values.length} samples for ${time.length} times`);
    }
  }
  for (let i = 0; i < time.length; i++) {
    const at = time[i];
    if (!Number.isFinite(at)) {
      throw new ActivityFileError(422, `Sample ${i + 1} has no time`);
    }
    builder.add(start + at * 1000, Object.fromEntries(CHANNELS.map((c) => [c, channels[c]?.[i] ?? null])));
  }
  const { startTime, streams } = builder.build();
  return summarizeDecoded({ ...decoded, startTime, streams });
}

/** The summary, the seconds per watt and the stored form of decoded streams. */
function summarizeDecoded({ streams, ...decoded }: DecodedActivity): ParsedActivity {
  return {
    ...decoded,
    summary: summarizeStreams(streams),
    powerHistogram: streams.power ? powerHistogram(streams) : null,
    encodedStreams: encodeStreams(streams),
  };
}

function decode(content: Buffer): DecodedActivity {
  if (content.length === 0) {
    throw new ActivityFileError(422, 'The file is empty');
  }
  if (isFit(content)) {
    return decodeFit(content);
  }
  const xml = xmlText(content);
  if (xml === null) {
    throw new ActivityFileError(422, NOT_AN_ACTIVITY);
  }
  refuseDeclarations(xml);
  const root = rootElement(xml);
  if (root === 'TrainingCenterDatabase') {
    return decodeTcx(xml);
  }
  if (root === 'gpx') {
    return decodeGpx(xml);
  }
  throw new ActivityFileError(
    422,
    `${NOT_AN_ACTIVITY}; this is XML${root ? ` with root <${root.slice(0, 40)}>` : ''}, ` +
      'not <TrainingCenterDatabase> (TCX) or <gpx> (GPX)',
  );
}

function isGzip(content: Buffer): boolean {
  return content.length >= 2 && content[0] === 0x1f && content[1] === 0x8b;
}

/** FIT: a 12- or 14-byte header with ".FIT" at offset 8. */
function isFit(content: Buffer): boolean {
  return (
    content.length >= 12 && (content[0] === 12 || content[0] === 14) && content.toString('latin1', 8, 12) === '.FIT'
  );
}

/** zlib stops inflating at `maxOutputLength` (it never buffers more than one chunk past it). */
function inflate(content: Buffer, limitBytes: number): Buffer {
  try {
    return gunzipSync(content, { maxOutputLength: limitBytes });
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new ActivityFileError(413, `The file inflates past the ${limitBytes}-byte limit once decompressed`);
    }
    const reason = (error as { code?: string }).code === 'Z_BUF_ERROR' ? 'it is truncated' : 'it is corrupt';
    throw new ActivityFileError(422, `The gzip cannot be decompressed: ${reason}`);
  }
}

/** The text of what looks like an XML document (first non-blank character `<`), else null. */
function xmlText(content: Buffer): string | null {
  let text: string;
  if (content[0] === 0xff && content[1] === 0xfe) {
    text = content.toString('utf16le', 2);
  } else if (content[0] === 0xfe && content[1] === 0xff && content.length % 2 === 0) {
    text = Buffer.from(content.subarray(2)).swap16().toString('utf16le');
  } else {
    text = content.toString('utf8');
    if (text.charCodeAt(0) === 0xfeff) {
      text = text.slice(1);
    }
  }
  return /^\s*</.test(text) ? text : null;
}

/** The local name of the first element after the prolog (declaration, processing instructions, comments). */
function rootElement(xml: string): string | null {
  // A scan rather than one regular expression: nested lazy groups can backtrack exponentially.
  let i = 0;
  for (;;) {
    while (i < xml.length && /\s/.test(xml[i])) {
      i++;
    }
    const close = xml.startsWith('<?', i) ? '?>' : xml.startsWith('<!--', i) ? '-->' : null;
    if (close === null) {
      break;
    }
    const end = xml.indexOf(close, i + 2);
    if (end < 0) {
      return null;
    }
    i = end + close.length;
  }
  const match = /^<(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)/.exec(xml.slice(i, i + 256));
  return match ? match[1] : null;
}
