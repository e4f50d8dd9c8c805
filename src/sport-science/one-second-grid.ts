/** The longest gap between two samples that is filled by holding the last value; a longer one is a pause. */
export const MAX_FILLED_GAP_S = 10;

/**
 * The moving seconds of an activity on a 1-second grid from the first timestamp: `sample[j]` is the
 * index of the sample whose value grid second j holds (the latest sample at or before it), and
 * `segmentStart[j]` is 1 where a segment between pauses begins. Paused seconds are left out, so the
 * grid's length is `moving_s`. Each sample covers at most MAX_FILLED_GAP_S seconds, which bounds the
 * grid by 10 x the number of samples whatever the timestamps say.
 */
export interface OneSecondGrid {
  sample: Int32Array;
  segmentStart: Uint8Array;
}

export function toOneSecondGrid(time: readonly number[]): OneSecondGrid {
  const n = time.length;
  if (n === 0) {
    return { sample: new Int32Array(0), segmentStart: new Uint8Array(0) };
  }
  const t0 = time[0];
  const last = time[n - 1] - t0;
  // First pass counts the grid seconds, the second fills them: no growing arrays.
  let length = 0;
  walk(time, t0, last, () => length++);
  const sample = new Int32Array(length);
  const segmentStart = new Uint8Array(length);
  let j = 0;
  let newSegment = true;
  walk(
    time,
    t0,
    last,
    (i) => {
      sample[j] = i;
      if (newSegment) {
        segmentStart[j] = 1;
        newSegment = false;
      }
      j++;
    },
    () => (newSegment = true),
  );
  return { sample, segmentStart };
}

function walk(
  time: readonly number[],
  t0: number,
  last: number,
  emit: (sampleIndex: number) => void,
  pause: () => void = () => undefined,
): void {
  const n = time.length;
  let k = 0; // next grid second, relative to t0
  for (let i = 0; i < n; i++) {
    const at = time[i] - t0;
    const isLast = i === n - 1;
    const next = isLast ? last : time[i + 1] - t0;
    const paused = !isLast && next - at > MAX_FILLED_GAP_S;
    // Grid seconds held by sample i: from its own time up to the next sample (exclusive), only its
    // own second before a pause, and the last timestamp itself for the last sample.
    const end = isLast ? last + 1 : paused ? at + 1 : next;
    while (k < end && k <= last) {
      emit(i);
      k++;
    }
    if (paused) {
      pause();
      k = Math.ceil(next);
    }
  }
}
