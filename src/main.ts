import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { configureApp } from './app.setup';
import { ConfigError, loadConfigFromProcess } from './config/app-config';
import { closeGracefullyOnSignals } from './lifecycle/graceful-shutdown';
import { PinoLoggerService } from './logging/pino-logger.service';

async function bootstrap(): Promise<void> {
  const config = loadConfigFromProcess();
  // Nest's own messages wait until its logger is pino (LOG_LEVEL, LOG_FORMAT): one format from the first line.
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bodyParser: false,
    bufferLogs: true,
  });
  const logger = app.get(PinoLoggerService);
  app.useLogger(logger);
  configureApp(app, config);
  await app.listen(config.PORT, config.HOST);
  closeGracefullyOnSignals(app, logger, config.SHUTDOWN_TIMEOUT_MS);
  logger.log(`Lanterne Rouge API listening on http://${config.HOST}:${config.PORT} (docs at /docs)`, 'Bootstrap');
}

bootstrap().catch((error: unknown) => {
  // Configuration errors name the variable; anything else is printed whole.
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
