import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AthleteModule } from '../athlete/athlete.module';
import { WellnessDay } from './wellness-day.entity';
import { WellnessController } from './wellness.controller';
import { WellnessService } from './wellness.service';

/** Daily wellness: readiness, sleep, resting heart rate, HRV. */
@Module({
  imports: [TypeOrmModule.forFeature([WellnessDay]), AthleteModule],
  controllers: [WellnessController],
  providers: [WellnessService],
  exports: [WellnessService],
})
export class WellnessModule {}
