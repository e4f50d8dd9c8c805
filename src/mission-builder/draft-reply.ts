/** Turning the model's reply text into a JSON value, tolerating prose and markdown fences around it. */

export type ParsedReply = { ok: true; value: unknown } | { ok: false; problem: string };

const MAX_CANDIDATES = 5;

/** End index (exclusive) of the balanced `{...}` starting at `start`, or -1 when it never closes. */
function balancedEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i += 1) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') {
        i += 1;
      } else if (ch === '"') {
        inString = false;
      }
    } else if (ch === '"') {
      inString = true;
    } else if (ch === '{') {
      depth += 1;
    } else if (ch === '}') {
      depth -= 1;
      if (depth === 0) {
        return i + 1;
      }
    }
  }
  return -1;
}

function tryParse(text: string): { ok: true; value: unknown } | undefined {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return undefined;
  }
}

/** The first balanced `{...}` in the text that parses as JSON, if any. */
export function extractJsonObject(text: string): unknown {
  let start = text.indexOf('{');
  for (let tries = 0; start !== -1 && tries < MAX_CANDIDATES; tries += 1) {
    const end = balancedEnd(text, start);
    if (end === -1) {
      return undefined;
    }
    const parsed = tryParse(text.slice(start, end));
    if (parsed) {
      return parsed.value;
    }
    start = text.indexOf('{', start + 1);
  }
  return undefined;
}

export function parseDraftReply(content: string | null | undefined): ParsedReply {
  if (content === null || content === undefined || content.trim() === '') {
    return { ok: false, problem: 'the reply was empty; it must be a JSON object' };
  }
  const whole = tryParse(content.trim());
  if (whole && whole.value !== null && typeof whole.value === 'object' && !Array.isArray(whole.value)) {
    return whole;
  }
  const extracted = extractJsonObject(content);
  if (extracted !== undefined) {
    return { ok: true, value: extracted };
  }
  return {
    ok: false,
    problem: 'the reply was not valid JSON; it must be one JSON object and nothing else',
  };
}
