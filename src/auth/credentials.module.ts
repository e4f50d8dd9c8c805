import { Global, Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { AppConfig } from '../config/app-config';
import { PasswordService } from './password.service';
import { signingKey, TokenService } from './token.service';

/** Password hashing and token signing, shared by auth, users, sessions and the admin commands. */
@Global()
@Module({
  imports: [
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({ secret: signingKey(config.SECRET_KEY) }),
    }),
  ],
  providers: [PasswordService, TokenService],
  exports: [PasswordService, TokenService],
})
export class CredentialsModule {}
