import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MailModule } from '../mail/mail.module';
import { MfaModule } from '../mfa/mfa.module';
import { SessionsModule } from '../sessions/sessions.module';
import { UsersModule } from '../users/users.module';
import { AccountChangesController } from './account-changes.controller';
import { AccountMailLimit } from './account-mail-limit';
import { AccountToken } from './account-token.entity';
import { AccountTokensService } from './account-tokens.service';
import { AccountRecoveryController } from './account-recovery.controller';
import { AccountsService } from './accounts.service';
import { EmailChangeController } from './email-change.controller';
import { EmailVerificationService } from './email-verification.service';
import { PasswordResetService } from './password-reset.service';

/** Changes to an account: by mail (password reset, email verification, email change), password change, admin updates. */
@Module({
  imports: [TypeOrmModule.forFeature([AccountToken]), UsersModule, SessionsModule, MfaModule, MailModule],
  controllers: [AccountChangesController, AccountRecoveryController, EmailChangeController],
  providers: [AccountsService, AccountTokensService, AccountMailLimit, PasswordResetService, EmailVerificationService],
  exports: [EmailVerificationService],
})
export class AccountModule {}
