import type { Provider } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { MetricsService } from '../metrics/metrics.service';
import { LLM_OUTCOMES, LLM_SETTINGS, type LlmSettings } from './llm-settings';

/** The model settings (mission builder and coach) from the validated configuration; each attempt is counted in /metrics. */
export const llmSettingsProvider: Provider = {
  provide: LLM_SETTINGS,
  inject: [AppConfig, MetricsService],
  useFactory: (config: AppConfig, metrics: MetricsService): LlmSettings => {
    for (const outcome of LLM_OUTCOMES) {
      metrics.llmRequests.inc({ outcome }, 0);
    }
    return {
      apiKey: config.OPENAI_API_KEY,
      baseURL: config.OPENAI_BASE_URL,
      model: config.OPENAI_MODEL,
      timeoutMs: config.OPENAI_TIMEOUT_MS,
      logDir: config.LOG_DIR,
      onAttempt: (outcome, promptTokens, completionTokens) => {
        metrics.llmRequests.inc({ outcome });
        metrics.llmTokens.inc({ kind: 'prompt' }, promptTokens);
        metrics.llmTokens.inc({ kind: 'completion' }, completionTokens);
      },
    };
  },
};
