import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ChatMessage } from './chat-completion.caller';
import type { LlmAttemptOutcome } from './llm-settings';
import { scrubDeep, type TextScrubber } from './scrub';

export interface AttemptLogEntry {
  model: string;
  attempt: number;
  temperature: number | null;
  response_format: string | null;
  outcome: LlmAttemptOutcome;
  duration_ms: number;
  prompt_tokens: number;
  completion_tokens: number;
  /** A feature's own keys, already redacted (the mission builder's `questionnaire`). */
  fields?: Record<string, unknown>;
  /** The prompt as the logs show it (rendered from redacted data), then the model's reply and the retry note. */
  messages: ChatMessage[];
  reply: string | null;
  problems: string[];
  error: string | null;
}

/** Longer texts are cut after scrubbing, so a cut can never expose half of a sensitive value. */
const MAX_TEXT = 20_000;

function truncate(text: string): string {
  return text.length > MAX_TEXT
    ? `${text.slice(0, MAX_TEXT)}... [truncated ${text.length - MAX_TEXT} characters]`
    : text;
}

/** A random tag for the log files of one request. */
export function newLogKey(): string {
  return randomBytes(4).toString('hex');
}

/**
 * Writes one JSON file per model attempt under `<logDir>/<folder>/`; never throws.
 * Files are named `<timestamp>_<request key>_attempt<N>.json`: the files of one request share
 * their key, so they sort in attempt order even when two are written in the same millisecond.
 */
export class AttemptLogWriter {
  private readonly logger = new Logger('LlmAttemptLog');
  readonly directory: string;

  /** `label` names the feature in warnings ("mission builder", "coach"). */
  constructor(
    logDir: string,
    folder: string,
    private readonly label: string,
  ) {
    this.directory = join(logDir, folder);
  }

  async write(entry: AttemptLogEntry, scrub: TextScrubber, logKey: string = newLogKey()): Promise<void> {
    const timestamp = new Date().toISOString();
    // The feature's fields and the prompt come redacted; the scrubber catches what the model or the upstream
    // wrote (replies, retry notes, errors) and whatever the prompt's own facts may share with them.
    const safe = scrubDeep(
      { messages: entry.messages, reply: entry.reply, problems: entry.problems, error: entry.error },
      scrub,
    );
    const { fields, ...rest } = entry;
    const record = {
      timestamp,
      ...rest,
      ...fields,
      ...safe,
      messages: safe.messages.map((m) => ({ role: m.role, content: truncate(m.content) })),
      reply: safe.reply === null ? null : truncate(safe.reply),
    };
    const name = `${timestamp.replace(/[:.]/g, '-')}_${logKey}_attempt${entry.attempt}.json`;
    try {
      await mkdir(this.directory, { recursive: true });
      await writeFile(join(this.directory, name), `${JSON.stringify(record, null, 2)}\n`, 'utf8');
    } catch (error) {
      this.logger.warn(`Could not write ${this.label} log ${name}: ${(error as Error).message}`);
    }
  }
}
