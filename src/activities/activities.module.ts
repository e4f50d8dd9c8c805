import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AthleteModule } from '../athlete/athlete.module';
import { ActivitiesController } from './activities.controller';
import { ActivitiesService } from './activities.service';
import { ActivityScoringService } from './activity-scoring.service';
import { ActivityStreamsRecord } from './activity-streams.entity';
import { ActivityUploadController } from './activity-upload.controller';
import { ActivityUploadInterceptor } from './activity-upload.interceptor';
import { ActivityUploadService } from './activity-upload.service';
import { ActivityImportService } from './activity-import.service';
import { ActivityWriter } from './activity-writer.service';
import { Activity } from './activity.entity';

/** Activities: file uploads (parsed in src/activities/files), manual entries, imports, scores and streams. */
@Module({
  imports: [TypeOrmModule.forFeature([Activity, ActivityStreamsRecord]), AthleteModule],
  controllers: [ActivityUploadController, ActivitiesController],
  providers: [
    ActivitiesService,
    ActivityWriter,
    ActivityUploadService,
    ActivityImportService,
    ActivityScoringService,
    ActivityUploadInterceptor,
  ],
  exports: [ActivityImportService],
})
export class ActivitiesModule {}
