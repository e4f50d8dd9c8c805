// Hand-written: what is sensitive here is this questionnaire's own answers, which no redaction library knows.
import type { TextScrubber } from '../llm/scrub';

export { scrubDeep, type TextScrubber } from '../llm/scrub';

export const REDACTED = '[REDACTED]';

/** The questionnaire fields redaction looks at; a DTO or a plain request body both fit. */
export interface RedactableQuestionnaire {
  event_name?: unknown;
  current_ftp?: unknown;
  constraints?: unknown;
  preferred_training_days?: unknown;
}

/** `Unbound Gravel 200` -> `Unbound ... 200`; names of one or two words are kept. */
export function redactEventName(name: string): string {
  const words = name.trim().split(/\s+/);
  return words.length > 2 ? `${words[0]} ... ${words[words.length - 1]}` : name;
}

/** A copy of the questionnaire that is safe to log. */
export function redactQuestionnaire(q: RedactableQuestionnaire): Record<string, unknown> {
  const copy: Record<string, unknown> = JSON.parse(JSON.stringify(q)) as Record<string, unknown>;
  if (typeof q.event_name === 'string') {
    copy.event_name = redactEventName(q.event_name);
  }
  for (const key of ['current_ftp', 'constraints', 'preferred_training_days'] as const) {
    if (q[key] !== undefined && q[key] !== null) {
      copy[key] = REDACTED;
    }
  }
  return copy;
}

/** The questionnaire as the prompt shows it, sensitive answers replaced: the prompt the logs show is rendered from this. */
export function redactPromptData(data: Record<string, unknown>): Record<string, unknown> {
  const copy = { ...data };
  if (typeof data.event_name === 'string') {
    copy.event_name = redactEventName(data.event_name);
  }
  if (data.current_ftp !== undefined) {
    copy.current_ftp = REDACTED;
  }
  if (Array.isArray(data.preferred_training_days)) {
    copy.preferred_training_days = data.preferred_training_days.map(() => REDACTED);
  }
  if (data.constraints !== undefined) {
    copy.constraints = REDACTED;
  }
  return copy;
}

const WORD_CHAR = '[\\p{L}\\p{N}_]';
/** Not after a word character, except the letter of a JSON escape such as `\n`. */
const WORD_START = `(?:(?<!${WORD_CHAR})|(?<=\\\\[nrt]))`;
const WORD_END = `(?!${WORD_CHAR})`;
const SPACE = '(?:\\s|\\\\[nrt])+';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** One character as it may appear raw, JSON-escaped, or as a `\uXXXX` escape. */
function charPattern(ch: string): string {
  if (/^[A-Za-z0-9]$/.test(ch)) {
    return ch;
  }
  const alternatives = [escapeRegExp(ch)];
  const code = ch.codePointAt(0) ?? 0;
  if (code <= 0xffff) {
    alternatives.push(`\\\\u${code.toString(16).padStart(4, '0')}`);
  }
  if (ch === '"' || ch === '\\' || ch === '/') {
    alternatives.push(`\\\\${escapeRegExp(ch)}`);
  }
  return `(?:${alternatives.join('|')})`;
}

/** Matches `text` in any letter case, with any whitespace, raw or inside a JSON string. */
function flexiblePattern(text: string, wholeWords: boolean): string {
  const body = text
    .trim()
    .split(/\s+/)
    .map((word) => Array.from(word).map(charPattern).join(''))
    .join(SPACE);
  return wholeWords ? `${WORD_START}${body}${WORD_END}` : body;
}

const DAY_ABBREVIATIONS: Record<string, string[]> = {
  monday: ['mon'],
  tuesday: ['tue', 'tues'],
  wednesday: ['wed'],
  thursday: ['thu', 'thur', 'thurs'],
  friday: ['fri'],
  saturday: ['sat'],
  sunday: ['sun'],
};

function dayPatterns(days: readonly unknown[]): string[] {
  return days
    .filter((day): day is string => typeof day === 'string' && day.trim() !== '')
    .flatMap((day) => {
      const lower = day.trim().toLowerCase();
      return [`${escapeRegExp(lower)}s?`, ...(DAY_ABBREVIATIONS[lower] ?? [])].map(
        (form) => `${WORD_START}${form}${WORD_END}`,
      );
    });
}

/** The whole constraints text, then each sentence or line of it that could be quoted alone. */
function constraintPatterns(constraints: string): string[] {
  const whole = constraints.trim();
  if (whole === '') {
    return [];
  }
  const fragments = whole
    .split(/[\n.;!?]+/)
    .map((part) => part.trim())
    .filter((part) => part.length >= 12 && part !== whole);
  return [whole, ...fragments].map((part) => flexiblePattern(part, part.length < 4));
}

/** After a member name's colon, the value runs to a `,`, `}`, `]` or the end of the line. */
const VALUE_END = /[ \t]*(?:[,}\]\r\n]|\\[nrt]|$)/y;

/**
 * Removes one number (the FTP) from free text where its digits stand alone (`250`, `-250`, `250.5`, not
 * `1250`). As the value of a `"name": 250` member (escaped as `\"name\": 250` inside a JSON string) it
 * becomes the string `"[REDACTED]"`, so a reply that was JSON mostly stays JSON; elsewhere `[REDACTED]`.
 */
function numberRedactor(value: number): TextScrubber {
  const digits = escapeRegExp(String(value));
  const token = new RegExp(`((\\\\?)"\\s*:\\s*)?(?<!\\p{N})${digits}(?!\\p{N})`, 'gu');
  return (text) =>
    text.replace(token, (match: string, member: string | undefined, escape: string | undefined, offset: number) => {
      if (member === undefined) {
        return REDACTED;
      }
      VALUE_END.lastIndex = offset + match.length;
      return VALUE_END.test(text) ? `${member}${escape ?? ''}"${REDACTED}${escape ?? ''}"` : `${member}${REDACTED}`;
    });
}

/**
 * A function that removes this questionnaire's sensitive values from free text (the model's reply, a
 * retry message, an error): the FTP as a number token (see numberRedactor), the constraints text, the
 * training days (names, plurals, abbreviations), and the full event name. The prompt is not scrubbed:
 * its logged copy is rendered from the redacted questionnaire (`redactPromptData`).
 */
export function createTextScrubber(q: RedactableQuestionnaire): TextScrubber {
  const steps: Array<[RegExp, string]> = [];
  const add = (pattern: string, replacement: string): void => {
    steps.push([new RegExp(pattern, 'giu'), replacement]);
  };
  if (typeof q.event_name === 'string' && redactEventName(q.event_name) !== q.event_name) {
    add(flexiblePattern(q.event_name, true), redactEventName(q.event_name));
  }
  if (typeof q.constraints === 'string') {
    constraintPatterns(q.constraints).forEach((pattern) => add(pattern, REDACTED));
  }
  if (Array.isArray(q.preferred_training_days)) {
    dayPatterns(q.preferred_training_days).forEach((pattern) => add(pattern, REDACTED));
  }
  const redactNumber =
    typeof q.current_ftp === 'number' && Number.isFinite(q.current_ftp)
      ? numberRedactor(q.current_ftp)
      : (text: string) => text;
  return (text) =>
    redactNumber(steps.reduce((acc, [regex, replacement]) => acc.replace(regex, () => replacement), text));
}

export function scrubText(text: string, q: RedactableQuestionnaire): string {
  return createTextScrubber(q)(text);
}
