import { Inject, Injectable, Logger } from '@nestjs/common';
import { AttemptLogWriter, newLogKey } from './attempt-log.writer';
import { ChatCompletionCaller, JSON_SCHEMA_FALLBACK_NOTE } from './chat-completion.caller';
import type { CreateMissionDraftDto } from './dto/create-mission-draft.dto';
import { judgeReply } from './draft-judge';
import { LLM_SETTINGS, type LlmAttemptOutcome, type LlmSettings, type MissionDraftResult } from './llm-settings';
import type { MissionDraft } from './mission-draft.schema';
import { buildMessages, buildRetryMessage, type ChatMessage } from './prompt';
import { createTextScrubber, redactQuestionnaire, type TextScrubber } from './redaction';
import { apiError } from '../common/error-codes';

export const LLM_NOT_CONFIGURED = 'LLM service is not configured. Set OPENAI_API_KEY to enable the mission builder.';
export const LLM_INVALID_TWICE = 'LLM returned an invalid mission draft twice; please try again';

const FIRST_TEMPERATURE = 0.7;
const RETRY_TEMPERATURE = 0;
/** The rejected reply is sent back on the retry; a runaway reply is not worth resending whole. */
const MAX_ECHOED_REPLY = 20_000;

type Usage = { prompt: number; completion: number };
const NO_USAGE: Usage = { prompt: 0, completion: 0 };
type Attempt =
  | { outcome: 'success'; draft: MissionDraft; model: string; usage: Usage }
  | { outcome: 'invalid_json' | 'invalid_draft'; reply: string; problems: string[]; usage: Usage }
  | { outcome: 'upstream_error' | 'timeout'; detail: string; usage: Usage };

interface DraftRequest {
  q: CreateMissionDraftDto;
  today: string;
  scrub: TextScrubber;
  redacted: Record<string, unknown>;
  /** The prompt as the logs show it: rendered from the redacted questionnaire, so its JSON block stays JSON. */
  loggedPrompt: ChatMessage[];
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
 * Asks the model for a mission draft: temperature 0.7, then at most one corrective retry at 0.
 * Each of the two is cut at `timeoutMs` and the pair at 2 x `timeoutMs`, so a request ends within
 * that plus local work (parsing, a few small log files). A server that refuses json_schema
 * structured outputs costs one more call, made in json_object mode within the same budget; the
 * refused call is logged and counted as an attempt of its own (`upstream_error`).
 */
@Injectable()
export class LlmDraftClient {
  private readonly logger = new Logger(LlmDraftClient.name);
  private readonly caller: ChatCompletionCaller | undefined;
  private readonly attemptLog: AttemptLogWriter;

  constructor(@Inject(LLM_SETTINGS) private readonly settings: LlmSettings) {
    this.attemptLog = new AttemptLogWriter(settings.logDir);
    this.caller = settings.apiKey ? new ChatCompletionCaller({ ...settings, apiKey: settings.apiKey }) : undefined;
  }

  async generateDraft(q: CreateMissionDraftDto, today: string): Promise<MissionDraftResult> {
    const started = Date.now();
    const request: DraftRequest = {
      q,
      today,
      scrub: createTextScrubber(q),
      redacted: redactQuestionnaire(q),
      loggedPrompt: buildMessages(q, today, true),
      deadlineAt: started + 2 * this.settings.timeoutMs,
      calls: 0,
      logKey: newLogKey(),
    };
    const messages = buildMessages(q, today);
    if (!this.caller) {
      const call = {
        attempt: ++request.calls,
        temperature: null,
        format: null,
        reply: null,
        error: null,
      };
      await this.record(request, { ...call, messages, started }, { outcome: 'not_configured', usage: NO_USAGE });
      throw apiError('llm_not_configured', LLM_NOT_CONFIGURED);
    }
    const first = await this.attempt(this.caller, request, FIRST_TEMPERATURE, messages);
    if (first.outcome === 'success') {
      return toResult(first, first.usage);
    }
    if ('detail' in first) {
      throw apiError('llm_failed', first.detail);
    }
    const second = await this.attempt(this.caller, request, RETRY_TEMPERATURE, [
      ...messages,
      { role: 'assistant', content: first.reply.slice(0, MAX_ECHOED_REPLY) || '(empty reply)' },
      { role: 'user', content: buildRetryMessage(first.problems) },
    ]);
    if (second.outcome === 'success') {
      return toResult(second, {
        prompt: first.usage.prompt + second.usage.prompt,
        completion: first.usage.completion + second.usage.completion,
      });
    }
    throw apiError('llm_failed', 'detail' in second ? second.detail : LLM_INVALID_TWICE);
  }

  private async attempt(
    caller: ChatCompletionCaller,
    request: DraftRequest,
    temperature: number,
    messages: ChatMessage[],
  ): Promise<Attempt> {
    let started = Date.now();
    const budgetEnd = started + Math.min(this.settings.timeoutMs, request.deadlineAt - started);
    let call = await caller.call(messages, temperature, budgetEnd - started);
    if (!call.ok && call.formatRejected) {
      // The refused call is an attempt of its own; the same request goes again in json_object mode.
      await this.record(
        request,
        {
          attempt: ++request.calls,
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
      call = await caller.call(messages, temperature, budgetEnd - started);
    }
    const record = {
      attempt: ++request.calls,
      temperature,
      format: call.format,
      messages,
      started,
    };
    if (!call.ok) {
      const failed: Attempt = { ...call.failure, usage: NO_USAGE };
      await this.record(request, { ...record, reply: null, error: call.failure.logText }, failed);
      return failed;
    }
    const { completion } = call;
    const reply = completion.choices?.[0]?.message?.content ?? null;
    const usage = {
      prompt: completion.usage?.prompt_tokens ?? 0,
      completion: completion.usage?.completion_tokens ?? 0,
    };
    const verdict = judgeReply(reply, request.q, request.today);
    const result: Attempt =
      verdict.outcome === 'success'
        ? { ...verdict, model: completion.model || this.settings.model, usage }
        : { ...verdict, reply: reply ?? '', usage };
    await this.record(request, { ...record, reply, error: null }, result);
    return result;
  }

  /** One log file per attempt, then the metrics hook; neither can fail the request. */
  private async record(
    request: DraftRequest,
    call: AttemptRecord,
    result: { outcome: LlmAttemptOutcome; usage: Usage; problems?: string[] },
  ): Promise<void> {
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
        questionnaire: request.redacted,
        messages: [...request.loggedPrompt, ...call.messages.slice(request.loggedPrompt.length)],
        reply: call.reply,
        problems: result.problems ?? [],
        error: call.error,
      },
      request.scrub,
      request.logKey,
    );
    try {
      this.settings.onAttempt?.(result.outcome, result.usage.prompt, result.usage.completion);
    } catch (error) {
      this.logger.warn(`Mission builder attempt observer failed: ${(error as Error).message}`);
    }
  }
}

function toResult(success: { draft: MissionDraft; model: string }, usage: Usage): MissionDraftResult {
  return {
    draft: success.draft,
    model: success.model,
    promptTokens: usage.prompt,
    completionTokens: usage.completion,
  };
}
