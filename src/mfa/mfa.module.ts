import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { signingKey } from '../sessions/token.service';
import { AppConfig } from '../config/app-config';
import { CryptoModule } from '../crypto/crypto.module';
import { MetricsModule } from '../metrics/metrics.module';
import { SessionsModule } from '../sessions/sessions.module';
import { User } from '../users/user.entity';
import { UsersModule } from '../users/users.module';
import { MfaChallenge } from './mfa-challenge.entity';
import { MfaLoginService } from './mfa-login.service';
import { MfaRecoveryCode } from './mfa-recovery-code.entity';
import { MfaController } from './mfa.controller';
import { MfaService } from './mfa.service';
import { UserMfa } from './user-mfa.entity';

/** TOTP two-factor authentication; the login (auth) and the admin's reset (users) call into it. */
@Module({
  imports: [
    TypeOrmModule.forFeature([UserMfa, MfaRecoveryCode, MfaChallenge, User]),
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({ secret: signingKey(config.SECRET_KEY) }),
    }),
    CryptoModule,
    MetricsModule,
    SessionsModule,
    UsersModule,
  ],
  controllers: [MfaController],
  providers: [MfaService, MfaLoginService],
  exports: [MfaService, MfaLoginService],
})
export class MfaModule {}
