import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config';
import { Session } from './session.entity';
import { SessionsController } from './sessions.controller';
import { SessionsService } from './sessions.service';
import { signingKey, TokenService } from './token.service';

/** Session rows and the token pair each row signs. */
@Module({
  imports: [
    TypeOrmModule.forFeature([Session]),
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({ secret: signingKey(config.SECRET_KEY) }),
    }),
  ],
  controllers: [SessionsController],
  providers: [SessionsService, TokenService],
  exports: [SessionsService, TokenService],
})
export class SessionsModule {}
