import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MetricsModule } from '../metrics/metrics.module';
import { LlmDraftClient } from './builder/llm-draft.client';
import { llmSettingsProvider } from './llm-settings.provider';
import { MissionDraftRecord } from './mission-draft-record.entity';
import { MissionDraftsController } from './mission-drafts.controller';
import { MissionDraftsService } from './mission-drafts.service';
import { MissionJobsController } from './mission-jobs.controller';
import { MissionSchedulerService } from './mission-scheduler.service';
import { MissionTransitionsService } from './mission-transitions.service';
import { Mission } from './mission.entity';
import { MissionsController } from './missions.controller';
import { MissionsService } from './missions.service';

/** Missions (ownership, lifecycle, scheduled transitions) and the LLM mission builder. */
@Module({
  imports: [TypeOrmModule.forFeature([Mission, MissionDraftRecord]), ScheduleModule.forRoot(), MetricsModule],
  // The drafts controller first: `/missions/draft` is a fixed path beside `/missions/:id`.
  controllers: [MissionDraftsController, MissionsController, MissionJobsController],
  providers: [
    llmSettingsProvider,
    LlmDraftClient,
    MissionsService,
    MissionTransitionsService,
    MissionDraftsService,
    MissionSchedulerService,
  ],
  // The ownership rule (403/404) for routes of other modules under /missions/{id}/...
  exports: [MissionsService],
})
export class MissionsModule {}
