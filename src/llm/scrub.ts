/** A function that removes a request's sensitive values from free text (replies, retry notes, errors). */
export type TextScrubber = (text: string) => string;

/** Applies a scrubber to every string inside a JSON-like value. */
export function scrubDeep<T>(value: T, scrub: TextScrubber): T {
  if (typeof value === 'string') {
    return scrub(value) as T;
  }
  if (Array.isArray(value)) {
    return value.map((item: unknown) => scrubDeep(item, scrub)) as T;
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, scrubDeep(item, scrub)])) as T;
  }
  return value;
}
