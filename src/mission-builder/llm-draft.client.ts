import { Inject, Injectable } from '@nestjs/common';
import type { CreateMissionDraftDto } from './dto/create-mission-draft.dto';
import { judgeReply } from './draft-judge';
import { LLM_SETTINGS, type LlmSettings } from '../llm/llm-settings';
import { StructuredLlmClient } from '../llm/structured-llm.client';
import { MISSION_DRAFT_RESPONSE_FORMAT, type MissionDraft } from './mission-draft.schema';
import { buildMessages, buildRetryMessage } from './prompt';
import { createTextScrubber, redactQuestionnaire } from './redaction';
import { apiError } from '../common/error-codes';

export const LLM_NOT_CONFIGURED = 'LLM service is not configured. Set OPENAI_API_KEY to enable the mission builder.';
export const LLM_INVALID_TWICE = 'LLM returned an invalid mission draft twice; please try again';

export interface MissionDraftResult {
  draft: MissionDraft;
  /** The model that answered, as the server reported it. */
  model: string;
  /** Summed over every attempt of the request. */
  promptTokens: number;
  completionTokens: number;
}

/**
 * Asks the model for a mission draft through the service's one model client (temperature 0.7, then at
 * most one corrective retry at 0, 2 x `timeoutMs` at most): the attempt logs go to `mission_builder/` with
 * the redacted questionnaire, and every failure is a 502 whose detail never carries the upstream's text.
 */
@Injectable()
export class LlmDraftClient {
  private readonly llm: StructuredLlmClient;

  constructor(@Inject(LLM_SETTINGS) settings: LlmSettings) {
    this.llm = new StructuredLlmClient(settings, 'mission_builder', 'mission builder');
  }

  async generateDraft(q: CreateMissionDraftDto, today: string): Promise<MissionDraftResult> {
    const result = await this.llm.generate(
      {
        responseFormat: MISSION_DRAFT_RESPONSE_FORMAT,
        messages: buildMessages(q, today),
        // The prompt as the logs show it: rendered from the redacted questionnaire, so its JSON block stays JSON.
        loggedMessages: buildMessages(q, today, true),
        logFields: { questionnaire: redactQuestionnaire(q) },
        scrub: createTextScrubber(q),
        judge: (reply) => {
          const verdict = judgeReply(reply, q, today);
          return verdict.outcome === 'success' ? { outcome: 'success', value: verdict.draft } : verdict;
        },
        retryMessage: buildRetryMessage,
      },
      LLM_NOT_CONFIGURED,
    );
    if (result.ok) {
      return {
        draft: result.value,
        model: result.model,
        promptTokens: result.usage.prompt,
        completionTokens: result.usage.completion,
      };
    }
    if (result.failure === 'not_configured') {
      throw apiError('llm_not_configured', result.detail);
    }
    throw apiError('llm_failed', result.failure === 'invalid' ? LLM_INVALID_TWICE : result.detail);
  }
}
