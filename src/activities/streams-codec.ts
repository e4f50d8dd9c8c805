import { promisify } from 'node:util';
import { brotliCompress, brotliDecompress, constants } from 'node:zlib';
import type { ActivityStreams } from '../training/metrics';

const compress = promisify(brotliCompress);
const decompress = promisify(brotliDecompress);

/** How stored streams are encoded: brotli over the JSON of the streams object. */
export const STREAMS_ENCODING = 'br';

/** Brotli at a middle quality: 3-hour rides shrink about tenfold, in the thread pool, not the event loop. */
export function encodeStreams(streams: ActivityStreams): Promise<Buffer> {
  return compress(Buffer.from(JSON.stringify(streams)), {
    params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT },
  });
}

export async function decodeStreams(data: Buffer): Promise<ActivityStreams> {
  return JSON.parse((await decompress(data)).toString('utf8')) as ActivityStreams;
}
