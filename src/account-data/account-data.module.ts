import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AthleteModule } from '../athlete/athlete.module';
import { ConnectionsModule } from '../connections/connections.module';
import { MfaModule } from '../mfa/mfa.module';
import { User } from '../users/user.entity';
import { UsersModule } from '../users/users.module';
import { AccountDataController } from './account-data.controller';
import { AccountDeletionService } from './account-deletion.service';
import { AccountExportService } from './account-export.service';

/**
 * Leaving, and taking your data (contract part 3): GET /users/me/export and DELETE /users/me. It reads
 * every feature's tables (export-sections.ts) and nothing imports it.
 */
@Module({
  imports: [TypeOrmModule.forFeature([User]), AthleteModule, ConnectionsModule, MfaModule, UsersModule],
  controllers: [AccountDataController],
  providers: [AccountExportService, AccountDeletionService],
})
export class AccountDataModule {}
