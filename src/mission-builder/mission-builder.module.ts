import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LlmModule } from '../llm/llm.module';
import { MissionsModule } from '../missions/missions.module';
import { LlmDraftClient } from './llm-draft.client';
import { MissionDraftRecord } from './mission-draft-record.entity';
import { MissionDraftsController } from './mission-drafts.controller';
import { MissionDraftsService } from './mission-drafts.service';

/** The LLM mission builder: questionnaire -> draft (POST /missions/draft), draft -> mission on confirmation. */
@Module({
  imports: [TypeOrmModule.forFeature([MissionDraftRecord]), MissionsModule, LlmModule],
  controllers: [MissionDraftsController],
  providers: [LlmDraftClient, MissionDraftsService],
})
export class MissionBuilderModule {}
