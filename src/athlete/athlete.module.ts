import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AthleteChanges } from './athlete-changes';
import { AthleteProfile } from './athlete-profile.entity';
import { AthleteController } from './athlete.controller';
import { AthleteService } from './athlete.service';
import { FtpEntry } from './ftp-entry.entity';

/** The athlete profile (weight, heart rates, time zone) and FTP history. */
@Module({
  imports: [TypeOrmModule.forFeature([AthleteProfile, FtpEntry])],
  controllers: [AthleteController],
  providers: [AthleteService, AthleteChanges],
  exports: [AthleteService, AthleteChanges],
})
export class AthleteModule {}
