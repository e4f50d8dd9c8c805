import { Logger } from '@nestjs/common';
import type { ChatCompletion } from 'openai/resources/chat/completions';
import { loadOpenAiSdk, type OpenAiClient, type OpenAiSdk } from './openai-sdk';
import { describeUpstreamFailure, type UpstreamFailure } from './upstream-failure';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** A strict structured-output format (`json_schema`), as `structuredOutput()` builds it. */
export interface JsonSchemaResponseFormat {
  type: 'json_schema';
  json_schema: { name: string; strict: true; schema: Record<string, unknown> };
}

export type ResponseFormatKind = 'json_schema' | 'json_object';

/** What the attempt log says about a call the server refused for its json_schema response format. */
export const JSON_SCHEMA_FALLBACK_NOTE = 'response_format json_schema unsupported; falling back to json_object';

export type ModelCall =
  | { ok: true; completion: ChatCompletion; format: ResponseFormatKind }
  | {
      ok: false;
      failure: UpstreamFailure;
      format: ResponseFormatKind;
      /**
       * The server refused json_schema structured outputs (HTTP 400): this caller now sends
       * json_object, and the same call may be made again at once.
       */
      formatRejected?: boolean;
    };

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
 * Structured outputs (json_schema) are asked for first; a server that rejects them gets plain JSON
 * mode (json_object) from then on. The rejected call is reported as such (`formatRejected`), not
 * retried here, so that the caller can log and count it like any other model call.
 */
export class ChatCompletionCaller {
  private readonly logger = new Logger('Llm');
  private client?: Promise<{ sdk: OpenAiSdk; openai: OpenAiClient }>;
  private jsonSchemaSupported = true;

  constructor(private readonly settings: CallerSettings) {}

  /** The client, made on the first call (the SDK is loaded then). */
  private connect(): Promise<{ sdk: OpenAiSdk; openai: OpenAiClient }> {
    this.client ??= loadOpenAiSdk().then((sdk) => ({
      sdk,
      openai: new sdk.default({
        apiKey: this.settings.apiKey,
        baseURL: this.settings.baseURL || 'https://api.openai.com/v1',
        timeout: this.settings.timeoutMs,
        maxRetries: 0,
        logLevel: 'off',
      }),
    }));
    return this.client;
  }

  async call(
    messages: ChatMessage[],
    temperature: number,
    budgetMs: number,
    responseFormat: JsonSchemaResponseFormat,
  ): Promise<ModelCall> {
    const { sdk, openai } = await this.connect();
    const format: ResponseFormatKind = this.jsonSchemaSupported ? 'json_schema' : 'json_object';
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), Math.max(budgetMs, 0));
    try {
      const completion = await Promise.race([
        openai.chat.completions.create(
          {
            model: this.settings.model,
            messages,
            temperature,
            response_format: format === 'json_schema' ? responseFormat : { type: 'json_object' },
          },
          { signal: controller.signal, maxRetries: 0 },
        ),
        untilAborted(controller.signal),
      ]);
      return { ok: true, completion, format };
    } catch (error) {
      const failure = describeUpstreamFailure(error, controller.signal.aborted, this.settings.apiKey, sdk);
      if (format === 'json_schema' && isResponseFormatRejection(error, sdk)) {
        if (this.jsonSchemaSupported) {
          this.logger.warn('The model server rejected json_schema structured outputs; using json_object');
          this.jsonSchemaSupported = false;
        }
        return { ok: false, failure, format, formatRejected: true };
      }
      return { ok: false, failure, format };
    } finally {
      clearTimeout(timer);
      controller.abort();
    }
  }
}

function isResponseFormatRejection(error: unknown, sdk: OpenAiSdk): boolean {
  return error instanceof sdk.BadRequestError && /response_format|json_schema/i.test(error.message);
}
