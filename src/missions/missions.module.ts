import { Module } from '@nestjs/common';

/** Missions and the mission builder (filled by the missions issue). */
@Module({})
export class MissionsModule {}
