import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Activity } from '../activities/activity.entity';
import { AthleteModule } from '../athlete/athlete.module';
import { MissionsModule } from '../missions/missions.module';
import { WellnessModule } from '../wellness/wellness.module';
import { MissionProgressController } from './mission-progress.controller';
import { MissionProgressService } from './mission-progress.service';
import { TrainingLoadController } from './training-load.controller';
import { TrainingLoadService } from './training-load.service';

/** Training load (CTL/ATL/TSB) and mission progress; the numbers themselves are in ./metrics. */
@Module({
  imports: [TypeOrmModule.forFeature([Activity]), AthleteModule, WellnessModule, MissionsModule],
  controllers: [TrainingLoadController, MissionProgressController],
  providers: [TrainingLoadService, MissionProgressService],
  // The coach's facts and its evening and weekly mails.
  exports: [TrainingLoadService, MissionProgressService],
})
export class TrainingModule {}
