import { Module } from '@nestjs/common';
import { MetricsModule } from '../metrics/metrics.module';
import { LLM_SETTINGS } from './llm-settings';
import { llmSettingsProvider } from './llm-settings.provider';

/** The model settings every LLM feature shares (key, server, model, timeout, log folder, metrics). */
@Module({
  imports: [MetricsModule],
  providers: [llmSettingsProvider],
  exports: [LLM_SETTINGS],
})
export class LlmModule {}
