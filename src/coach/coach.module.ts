import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Clock, SystemClock } from '../common/clock';
import { JobsModule } from '../jobs/jobs.module';
import { LlmModule } from '../llm/llm.module';
import { MailModule } from '../mail/mail.module';
import { Mission } from '../missions/mission.entity';
import { MissionsModule } from '../missions/missions.module';
import { TrainingModule } from '../training/training.module';
import { User } from '../users/user.entity';
import { WellnessModule } from '../wellness/wellness.module';
import { CoachDelivery } from './coach-delivery.entity';
import { CoachDueService } from './coach-due.service';
import { CoachFactsService } from './coach-facts.service';
import { CoachJobsController } from './coach-jobs.controller';
import { CoachLlmClient } from './coach-llm.client';
import { CoachMailService } from './coach-mail.service';
import { CoachRun } from './coach-run.entity';
import { CoachRunsController } from './coach-runs.controller';
import { CoachRunsService } from './coach-runs.service';
import { CoachSchedulerService } from './coach-scheduler.service';

/** The daily briefings: coach runs (facts, the model, the rules), their routes, schedule and mails. */
@Module({
  imports: [
    TypeOrmModule.forFeature([CoachRun, CoachDelivery, Mission, User]),
    JobsModule,
    LlmModule,
    MailModule,
    MissionsModule,
    TrainingModule,
    WellnessModule,
  ],
  controllers: [CoachRunsController, CoachJobsController],
  providers: [
    // Tests override it with a clock they set (briefings are due at each mission's own 6:00).
    { provide: Clock, useClass: SystemClock },
    CoachFactsService,
    CoachLlmClient,
    CoachMailService,
    CoachRunsService,
    CoachDueService,
    CoachSchedulerService,
  ],
})
export class CoachModule {}
