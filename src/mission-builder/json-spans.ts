/**
 * Finds the JSON inside free text (a prompt with a JSON block, a model reply wrapped in prose), so
 * that redaction can tell a number that is a JSON value from a number inside a string or in prose.
 */

/** A complete JSON object or array found in a text, with its number and string tokens (half-open spans). */
export interface JsonRegion {
  start: number;
  end: number;
  numbers: Array<[number, number]>;
  strings: Array<[number, number]>;
}

type Scan = { ok: true; region: JsonRegion } | { ok: false; failedAt: number };

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERAL = /true|false|null/y;
const HEX4 = /^[0-9a-fA-F]{4}$/;
const SIMPLE_ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);

function isJsonSpace(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r';
}

/** The end of the JSON string starting at `start` (a `"`), or -(failure index + 1). */
function scanString(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      return i + 1;
    }
    if (ch === '\\') {
      const next = text[i + 1];
      if (next === 'u' && HEX4.test(text.slice(i + 2, i + 6))) {
        i += 5;
      } else if (next !== undefined && SIMPLE_ESCAPES.has(next)) {
        i += 1;
      } else {
        return -(i + 1);
      }
    } else if (ch < ' ') {
      return -(i + 1);
    }
  }
  return -(text.length + 1);
}

/**
 * Strict JSON (RFC 8259) from `start`, which holds `{` or `[`; iterative, so nesting depth costs no
 * call stack. Fails at the first character that breaks the grammar.
 */
function scanValue(text: string, start: number): Scan {
  const stack: string[] = [];
  const numbers: Array<[number, number]> = [];
  const strings: Array<[number, number]> = [];
  /** value: a value is due; key: a member name is due; colon; after: `,` or a closing bracket is due. */
  let expect: 'value' | 'key' | 'colon' | 'after' = 'value';
  /** Right after `{` or `[`, where the closing bracket may come at once. */
  let justOpened = false;
  let i = start;
  while (i < text.length) {
    const ch = text[i];
    if (isJsonSpace(ch)) {
      i++;
      continue;
    }
    const closing = (ch === '}' && stack.at(-1) === '{') || (ch === ']' && stack.at(-1) === '[');
    if (closing && (expect === 'after' || (justOpened && (expect === 'key' || expect === 'value')))) {
      stack.pop();
      i++;
      justOpened = false;
      expect = 'after';
      if (stack.length === 0) {
        return { ok: true, region: { start, end: i, numbers, strings } };
      }
      continue;
    }
    justOpened = false;
    if (expect === 'after') {
      if (ch !== ',') {
        return { ok: false, failedAt: i };
      }
      expect = stack.at(-1) === '{' ? 'key' : 'value';
      i++;
      continue;
    }
    if (expect === 'colon') {
      if (ch !== ':') {
        return { ok: false, failedAt: i };
      }
      expect = 'value';
      i++;
      continue;
    }
    if (ch === '"') {
      const end = scanString(text, i);
      if (end < 0) {
        return { ok: false, failedAt: -end - 1 };
      }
      strings.push([i, end]);
      i = end;
      expect = expect === 'key' ? 'colon' : 'after';
      continue;
    }
    if (expect === 'key') {
      return { ok: false, failedAt: i };
    }
    if (ch === '{' || ch === '[') {
      stack.push(ch);
      i++;
      justOpened = true;
      expect = ch === '{' ? 'key' : 'value';
      continue;
    }
    NUMBER.lastIndex = i;
    LITERAL.lastIndex = i;
    const number = NUMBER.exec(text);
    const literal = number ? null : LITERAL.exec(text);
    if (!number && !literal) {
      return { ok: false, failedAt: i };
    }
    const end = i + (number ?? literal ?? [''])[0].length;
    if (number) {
      numbers.push([i, end]);
    }
    i = end;
    expect = 'after';
  }
  return { ok: false, failedAt: text.length };
}

/**
 * Every complete JSON object or array in `text`, left to right, none inside another. Linear time:
 * after a failed attempt the search resumes where the grammar broke, not one character later.
 */
export function findJsonRegions(text: string): JsonRegion[] {
  const regions: JsonRegion[] = [];
  const opening = /[{[]/g;
  let from = 0;
  while (from < text.length) {
    opening.lastIndex = from;
    const found = opening.exec(text);
    if (!found) {
      break;
    }
    const scan = scanValue(text, found.index);
    if (scan.ok) {
      regions.push(scan.region);
      from = scan.region.end;
    } else {
      from = Math.max(scan.failedAt, found.index + 1);
    }
  }
  return regions;
}
