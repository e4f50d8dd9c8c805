import { Logger } from '@nestjs/common';
import { AttemptLogWriter, newLogKey } from './attempt-log.writer';
import {
  ChatCompletionCaller,
  JSON_SCHEMA_FALLBACK_NOTE,
  type ChatMessage,
  type JsonSchemaResponseFormat,
} from './chat-completion.caller';
import type { LlmAttemptOutcome, LlmSettings } from './llm-settings';
import type { TextScrubber } from './scrub';

const FIRST_TEMPERATURE = 0.7;
const RETRY_TEMPERATURE = 0;
/** The rejected reply is sent back on the retry; a runaway reply is not worth resending whole. */
const MAX_ECHOED_REPLY = 20_000;

/** The outcome of a reply that parsed as JSON but is not the shape asked for (`invalid_draft`, ...). */
export type InvalidShapeOutcome = Extract<LlmAttemptOutcome, `invalid_${string}`>;

/** What a feature says about one reply: its value, or why it cannot be used. */
export type ReplyVerdict<T> =
  { outcome: 'success'; value: T } | { outcome: 'invalid_json' | InvalidShapeOutcome; problems: string[] };

/** One structured request: the prompt, how the logs show it, and how a reply is judged. */
export interface StructuredRequest<T> {
  responseFormat: JsonSchemaResponseFormat;
  messages: ChatMessage[];
  /** The prompt as the logs show it: rendered from redacted data, never the athlete's own text. */
  loggedMessages: ChatMessage[];
  /** The feature's own keys in every attempt log, already redacted (the builder's `questionnaire`). */
  logFields?: Record<string, unknown>;
  /** Removes the request's sensitive values from what the model or the upstream wrote. */
  scrub: TextScrubber;
  judge(reply: string | null): ReplyVerdict<T>;
  /** The corrective message of the retry, from the problems of the first reply. */
  retryMessage(problems: readonly string[]): string;
}

export interface Usage {
  prompt: number;
  completion: number;
}

export type StructuredResult<T> =
  | { ok: true; value: T; model: string; usage: Usage }
  /**
   * `detail` is safe for a client (never the upstream's own text): `not_configured` (no key),
   * `upstream` (an error or timeout), `invalid` (two unusable replies). `usage` counts what was spent.
   */
  | { ok: false; failure: 'not_configured' | 'upstream' | 'invalid'; detail: string; usage: Usage };

const NO_USAGE: Usage = { prompt: 0, completion: 0 };
const sum = (a: Usage, b: Usage): Usage => ({ prompt: a.prompt + b.prompt, completion: a.completion + b.completion });

type Attempt<T> =
  | { outcome: 'success'; value: T; model: string; usage: Usage }
  | { outcome: 'invalid_json' | InvalidShapeOutcome; reply: string; problems: string[]; usage: Usage }
  | { outcome: 'upstream_error' | 'timeout'; detail: string; usage: Usage };

interface RequestState<T> {
  request: StructuredRequest<T>;
  /** Two model calls at most, whatever the upstream does. */
  deadlineAt: number;
  /**
   * Model calls made so far: every call is an attempt, numbered 1, 2, 3 in the order made (a call the
   * server refused for its json_schema response format included), each with its own log file.
   */
  calls: number;
  /** Shared by this request's log files, so that they stay unique and sort by attempt. */
  logKey: string;
}

interface AttemptRecord {
  attempt: number;
  temperature: number | null;
  format: string | null;
  messages: ChatMessage[];
  reply: string | null;
  error: string | null;
  started: number;
}

/**
 * The one model client of the service (the mission builder and the coach): asks for a JSON reply with
 * structured outputs at temperature 0.7, then at most one corrective retry at 0 when the reply is not
 * valid JSON or not the shape asked for. Each of the two is cut at `timeoutMs` and the pair at
 * 2 x `timeoutMs`, so a request ends within that plus local work (parsing, a few small log files). A server
 * that refuses json_schema structured outputs costs one more call, made in json_object mode within the
 * same budget; the refused call is logged and counted as an attempt of its own (`upstream_error`).
 * Every attempt writes one redacted log file under `<logDir>/<folder>/` and is counted by `onAttempt`.
 */
export class StructuredLlmClient {
  private readonly logger = new Logger(StructuredLlmClient.name);
  private readonly caller: ChatCompletionCaller | undefined;
  private readonly attemptLog: AttemptLogWriter;

  /** `label` names the feature in warnings ("mission builder", "coach"); `folder` its logs' folder. */
  constructor(
    private readonly settings: LlmSettings,
    folder: string,
    private readonly label: string,
  ) {
    this.attemptLog = new AttemptLogWriter(settings.logDir, folder, label);
    this.caller = settings.apiKey ? new ChatCompletionCaller({ ...settings, apiKey: settings.apiKey }) : undefined;
  }

  get configured(): boolean {
    return this.caller !== undefined;
  }

  async generate<T>(request: StructuredRequest<T>, notConfiguredDetail: string): Promise<StructuredResult<T>> {
    const state: RequestState<T> = {
      request,
      deadlineAt: Date.now() + 2 * this.settings.timeoutMs,
      calls: 0,
      logKey: newLogKey(),
    };
    if (!this.caller) {
      const call = { attempt: ++state.calls, temperature: null, format: null, reply: null, error: null };
      await this.record(
        state,
        { ...call, messages: request.messages, started: Date.now() },
        { outcome: 'not_configured', usage: NO_USAGE },
      );
      return { ok: false, failure: 'not_configured', detail: notConfiguredDetail, usage: NO_USAGE };
    }
    const first = await this.attempt(this.caller, state, FIRST_TEMPERATURE, request.messages);
    if (first.outcome === 'success') {
      return { ok: true, value: first.value, model: first.model, usage: first.usage };
    }
    if ('detail' in first) {
      return { ok: false, failure: 'upstream', detail: first.detail, usage: first.usage };
    }
    const second = await this.attempt(this.caller, state, RETRY_TEMPERATURE, [
      ...request.messages,
      { role: 'assistant', content: first.reply.slice(0, MAX_ECHOED_REPLY) || '(empty reply)' },
      { role: 'user', content: request.retryMessage(first.problems) },
    ]);
    const usage = sum(first.usage, second.usage);
    if (second.outcome === 'success') {
      return { ok: true, value: second.value, model: second.model, usage };
    }
    return 'detail' in second
      ? { ok: false, failure: 'upstream', detail: second.detail, usage }
      : { ok: false, failure: 'invalid', detail: '', usage };
  }

  private async attempt<T>(
    caller: ChatCompletionCaller,
    state: RequestState<T>,
    temperature: number,
    messages: ChatMessage[],
  ): Promise<Attempt<T>> {
    const { request } = state;
    let started = Date.now();
    const budgetEnd = started + Math.min(this.settings.timeoutMs, state.deadlineAt - started);
    let call = await caller.call(messages, temperature, budgetEnd - started, request.responseFormat);
    if (!call.ok && call.formatRejected) {
      // The refused call is an attempt of its own; the same request goes again in json_object mode.
      await this.record(
        state,
        {
          attempt: ++state.calls,
          temperature,
          format: call.format,
          messages,
          reply: null,
          error: JSON_SCHEMA_FALLBACK_NOTE,
          started,
        },
        { outcome: 'upstream_error', usage: NO_USAGE },
      );
      started = Date.now();
      call = await caller.call(messages, temperature, budgetEnd - started, request.responseFormat);
    }
    const record = { attempt: ++state.calls, temperature, format: call.format, messages, started };
    if (!call.ok) {
      const failed: Attempt<T> = { ...call.failure, usage: NO_USAGE };
      await this.record(state, { ...record, reply: null, error: call.failure.logText }, failed);
      return failed;
    }
    const { completion } = call;
    const reply = completion.choices?.[0]?.message?.content ?? null;
    const usage = {
      prompt: completion.usage?.prompt_tokens ?? 0,
      completion: completion.usage?.completion_tokens ?? 0,
    };
    const verdict = request.judge(reply);
    const result: Attempt<T> =
      verdict.outcome === 'success'
        ? { ...verdict, model: completion.model || this.settings.model, usage }
        : { ...verdict, reply: reply ?? '', usage };
    await this.record(state, { ...record, reply, error: null }, result);
    return result;
  }

  /** One log file per attempt, then the metrics hook; neither can fail the request. */
  private async record<T>(
    state: RequestState<T>,
    call: AttemptRecord,
    result: { outcome: LlmAttemptOutcome; usage: Usage; problems?: string[] },
  ): Promise<void> {
    const logged = state.request.loggedMessages;
    await this.attemptLog.write(
      {
        model: this.settings.model,
        attempt: call.attempt,
        temperature: call.temperature,
        response_format: call.format,
        outcome: result.outcome,
        duration_ms: Date.now() - call.started,
        prompt_tokens: result.usage.prompt,
        completion_tokens: result.usage.completion,
        fields: state.request.logFields,
        messages: [...logged, ...call.messages.slice(logged.length)],
        reply: call.reply,
        problems: result.problems ?? [],
        error: call.error,
      },
      state.request.scrub,
      state.logKey,
    );
    try {
      this.settings.onAttempt?.(result.outcome, result.usage.prompt, result.usage.completion);
    } catch (error) {
      const label = this.label.charAt(0).toUpperCase() + this.label.slice(1);
      this.logger.warn(`${label} attempt observer failed: ${(error as Error).message}`);
    }
  }
}
