import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MissionJobsController } from './mission-jobs.controller';
import { MissionSchedulerService } from './mission-scheduler.service';
import { MissionTransitionsService } from './mission-transitions.service';
import { Mission } from './mission.entity';
import { MissionsController } from './missions.controller';
import { MissionsService } from './missions.service';

/** Missions: ownership, lifecycle, scheduled transitions (the LLM builder is mission-builder/). */
@Module({
  imports: [TypeOrmModule.forFeature([Mission]), ScheduleModule.forRoot()],
  controllers: [MissionsController, MissionJobsController],
  providers: [MissionsService, MissionTransitionsService, MissionSchedulerService],
  // The ownership rule (403/404) for routes of other modules under /missions/{id}/..., and the builder's insert.
  exports: [MissionsService],
})
export class MissionsModule {}
