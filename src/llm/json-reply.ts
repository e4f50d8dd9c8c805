import { parseTree } from 'jsonc-parser';

/** Turning a model's reply text into a JSON value, tolerating prose and markdown fences around it. */

export type ParsedReply = { ok: true; value: unknown } | { ok: false; problem: string };

const MAX_CANDIDATES = 5;

function tryParse(text: string): { ok: true; value: unknown } | undefined {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return undefined;
  }
}

/**
 * The extent of the JSON value at the start of `text` (jsonc-parser reads one value and reports its
 * offset and length, whatever follows it), or undefined when there is none or it never closes.
 */
function leadingValue(text: string): string | undefined {
  try {
    const node = parseTree(text, [], { disallowComments: true, allowTrailingComma: false });
    return node ? text.slice(0, node.length) : undefined;
  } catch {
    // A reply nested deeper than the parser's recursion can go is not a draft.
    return undefined;
  }
}

/** The first `{...}` in the text that parses as strict JSON, trying at most five opening braces. */
export function extractJsonObject(text: string): unknown {
  let start = text.indexOf('{');
  for (let tries = 0; start !== -1 && tries < MAX_CANDIDATES; tries += 1) {
    const candidate = leadingValue(text.slice(start));
    if (candidate === undefined) {
      return undefined;
    }
    const parsed = tryParse(candidate);
    if (parsed) {
      return parsed.value;
    }
    start = text.indexOf('{', start + 1);
  }
  return undefined;
}

export function parseJsonReply(content: string | null | undefined): ParsedReply {
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
