import { Inject, Injectable } from '@nestjs/common';
import pLimit from 'p-limit';
import { AppConfig } from '../config/app-config';
import { parseJsonReply } from '../llm/json-reply';
import { LLM_SETTINGS, type LlmSettings } from '../llm/llm-settings';
import { StructuredLlmClient, type ReplyVerdict, type Usage } from '../llm/structured-llm.client';
import { createTextScrubber } from '../mission-builder/redaction';
import type { Mission } from '../missions/mission.entity';
import type { CoachFacts } from './coach-facts';
import { buildCoachMessages, buildCoachRetryMessage } from './coach-prompt';
import { RECOMMENDATION_RESPONSE_FORMAT, recommendationProblems, type Recommendation } from './recommendation.schema';

export const COACH_LLM_NOT_CONFIGURED =
  'LLM service is not configured (OPENAI_API_KEY): the briefing comes from the rules alone';

export type CoachModelResult =
  | { ok: true; recommendation: Recommendation; model: string; usage: Usage }
  | { ok: false; detail: string; usage: Usage };

function judge(reply: string | null): ReplyVerdict<Recommendation> {
  const parsed = parseJsonReply(reply);
  if (!parsed.ok) {
    return { outcome: 'invalid_json', problems: [parsed.problem] };
  }
  const problems = recommendationProblems(parsed.value);
  return problems.length > 0
    ? { outcome: 'invalid_recommendation', problems }
    : { outcome: 'success', value: parsed.value as Recommendation };
}

/**
 * Asks the model for a day's recommendation through the service's one model client (the mission builder's
 * settings, timeouts, retry, metrics), logging each attempt under `<LOG_DIR>/coach/`. At most
 * COACH_CONCURRENCY requests are with the model at once in this process, whoever asks (the jobs worker,
 * the admin route, an athlete's POST): a thousand briefings due at 6:00 wait their turn here.
 */
@Injectable()
export class CoachLlmClient {
  private readonly llm: StructuredLlmClient;
  private readonly limit: pLimit.Limit;

  constructor(@Inject(LLM_SETTINGS) settings: LlmSettings, @Inject(AppConfig) config: AppConfig) {
    this.llm = new StructuredLlmClient(settings, 'coach', 'coach');
    this.limit = pLimit(config.COACH_CONCURRENCY);
  }

  async recommend(mission: Mission, facts: CoachFacts): Promise<CoachModelResult> {
    const request = {
      responseFormat: RECOMMENDATION_RESPONSE_FORMAT,
      messages: buildCoachMessages(mission, facts),
      loggedMessages: buildCoachMessages(mission, facts, true),
      // The mission's name is the athlete's own text: shortened wherever a reply or an error repeats it.
      scrub: createTextScrubber({ event_name: mission.name }),
      judge,
      retryMessage: buildCoachRetryMessage,
    };
    // Not configured costs no upstream call: no need to wait for a turn.
    const result = this.llm.configured
      ? await this.limit(() => this.llm.generate(request, COACH_LLM_NOT_CONFIGURED))
      : await this.llm.generate(request, COACH_LLM_NOT_CONFIGURED);
    if (result.ok) {
      return { ok: true, recommendation: result.value, model: result.model, usage: result.usage };
    }
    return {
      ok: false,
      detail: result.failure === 'invalid' ? 'the model gave an invalid recommendation twice' : result.detail,
      usage: result.usage,
    };
  }
}
