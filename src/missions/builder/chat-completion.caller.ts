import { Logger } from '@nestjs/common';
import OpenAI, { BadRequestError } from 'openai';
import type { ChatCompletion } from 'openai/resources/chat/completions';
import { MISSION_DRAFT_RESPONSE_FORMAT } from './mission-draft.schema';
import type { ChatMessage } from './prompt';
import { describeUpstreamFailure, type UpstreamFailure } from './upstream-failure';

export type ResponseFormatKind = 'json_schema' | 'json_object';

export type ModelCall =
  | { ok: true; completion: ChatCompletion; format: ResponseFormatKind }
  | { ok: false; failure: UpstreamFailure; format: ResponseFormatKind };

export interface CallerSettings {
  apiKey: string;
  baseURL?: string;
  model: string;
  timeoutMs: number;
}

function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) => {
    signal.addEventListener('abort', () => reject(new Error('LLM call deadline reached')), {
      once: true,
    });
  });
}

/**
 * One chat completion call with a hard time budget. The openai client never retries on its own
 * (`maxRetries: 0`); its `timeout` only covers the wait for response headers, so the call is
 * also raced against an abort signal that fires at the budget, body download included.
 */
export class ChatCompletionCaller {
  private readonly logger = new Logger('MissionBuilderLlm');
  private readonly openai: OpenAI;
  private jsonSchemaSupported = true;

  constructor(private readonly settings: CallerSettings) {
    this.openai = new OpenAI({
      apiKey: settings.apiKey,
      baseURL: settings.baseURL || 'https://api.openai.com/v1',
      timeout: settings.timeoutMs,
      maxRetries: 0,
      logLevel: 'off',
    });
  }

  async call(messages: ChatMessage[], temperature: number, budgetMs: number): Promise<ModelCall> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), Math.max(budgetMs, 0));
    try {
      const completion = await Promise.race([
        this.complete(messages, temperature, controller.signal),
        untilAborted(controller.signal),
      ]);
      return { ok: true, completion, format: this.format() };
    } catch (error) {
      const failure = describeUpstreamFailure(
        error,
        controller.signal.aborted,
        this.settings.apiKey,
      );
      return { ok: false, failure, format: this.format() };
    } finally {
      clearTimeout(timer);
      controller.abort();
    }
  }

  private format(): ResponseFormatKind {
    return this.jsonSchemaSupported ? 'json_schema' : 'json_object';
  }

  /** Structured outputs first; a server that rejects them gets plain JSON mode from then on. */
  private async complete(
    messages: ChatMessage[],
    temperature: number,
    signal: AbortSignal,
  ): Promise<ChatCompletion> {
    const useSchema = this.jsonSchemaSupported;
    try {
      return await this.openai.chat.completions.create(
        {
          model: this.settings.model,
          messages,
          temperature,
          response_format: useSchema ? MISSION_DRAFT_RESPONSE_FORMAT : { type: 'json_object' },
        },
        { signal, maxRetries: 0 },
      );
    } catch (error) {
      if (
        useSchema &&
        error instanceof BadRequestError &&
        /response_format|json_schema/i.test(error.message)
      ) {
        this.logger.warn(
          'The model server rejected json_schema structured outputs; using json_object',
        );
        this.jsonSchemaSupported = false;
        return this.complete(messages, temperature, signal);
      }
      throw error;
    }
  }
}
