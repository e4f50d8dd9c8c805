import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MailModule } from '../mail/mail.module';
import { SessionsModule } from '../sessions/sessions.module';
import { UsersModule } from '../users/users.module';
import { AccountMailLimit } from './account-mail-limit';
import { AccountToken } from './account-token.entity';
import { AccountTokensService } from './account-tokens.service';
import { AccountRecoveryController } from './account-recovery.controller';
import { EmailChangeController } from './email-change.controller';
import { EmailVerificationService } from './email-verification.service';
import { PasswordResetService } from './password-reset.service';

/** The account lifecycle by mail: password reset, email verification, email change. */
@Module({
  imports: [TypeOrmModule.forFeature([AccountToken]), UsersModule, SessionsModule, MailModule],
  controllers: [AccountRecoveryController, EmailChangeController],
  providers: [AccountTokensService, AccountMailLimit, PasswordResetService, EmailVerificationService],
  exports: [EmailVerificationService],
})
export class AccountModule {}
