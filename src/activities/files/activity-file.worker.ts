import { parentPort } from 'node:worker_threads';
import { ActivityFileError, type ParsedActivity } from './activity-file';
import { decodeActivityFile, decodeActivitySamples } from './decode-activity-file';
import type { WorkerReply, WorkerTask } from './activity-file-workers';

/** The worker thread's side: one file at a time, every failure answered as a status and a message. */
parentPort?.on('message', (task: WorkerTask) => {
  const reply = handle(task);
  parentPort?.postMessage(reply, reply.ok ? transferable(reply.activity) : []);
});

/** The typed arrays of the answer move to the main thread instead of being copied. */
function transferable({ encodedStreams, powerHistogram }: ParsedActivity): ArrayBuffer[] {
  return [encodedStreams.buffer as ArrayBuffer, ...(powerHistogram ? [powerHistogram.buffer as ArrayBuffer] : [])];
}

function handle(task: WorkerTask): WorkerReply {
  const { id } = task;
  try {
    const activity =
      'file' in task
        ? decodeActivityFile(Buffer.from(task.file.buffer, task.file.byteOffset, task.file.byteLength), task.limitBytes)
        : decodeActivitySamples(task.samples);
    return { id, ok: true, activity };
  } catch (error) {
    if (error instanceof ActivityFileError) {
      return { id, ok: false, status: error.status, message: error.message };
    }
    // A library tripping over hostile input: still the file's fault, and the worker lives on.
    const reason = error instanceof Error ? error.message : String(error);
    return { id, ok: false, status: 422, message: `The file could not be read: ${reason.slice(0, 200)}` };
  }
}
