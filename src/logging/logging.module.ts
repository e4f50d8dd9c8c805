import { Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { createLogger, type Logger } from './logger';
import { PinoLoggerService } from './pino-logger.service';

/** The process's pino logger (`APP_LOGGER`) and Nest's logger over it (`PinoLoggerService`, for main.ts). */
export const APP_LOGGER = Symbol('APP_LOGGER');

// Not @Global(): no feature injects the logger (they use Nest's Logger); main.ts and app.setup.ts take it with app.get.
@Module({
  providers: [
    { provide: APP_LOGGER, useFactory: (config: AppConfig): Logger => createLogger(config), inject: [AppConfig] },
    { provide: PinoLoggerService, useFactory: (logger: Logger) => new PinoLoggerService(logger), inject: [APP_LOGGER] },
  ],
  exports: [APP_LOGGER, PinoLoggerService],
})
export class LoggingModule {}
