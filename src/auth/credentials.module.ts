import { Global, Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { PasswordService } from './password.service';
import { TokenService } from './token.service';

/** Password hashing and token signing, shared by auth, users, sessions and the admin commands. */
@Global()
@Module({
  imports: [JwtModule.register({})],
  providers: [PasswordService, TokenService],
  exports: [PasswordService, TokenService],
})
export class CredentialsModule {}
