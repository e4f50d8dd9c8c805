import { ConsoleLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { prewarmActivityFileWorkers } from './activities/files';
import { AppModule } from './app.module';
import { configureApp } from './app.setup';
import { ConfigError, loadConfigFromProcess } from './config/app-config';
import { closeGracefullyOnSignals } from './lifecycle/graceful-shutdown';

async function bootstrap(): Promise<void> {
  const config = loadConfigFromProcess();
  const logger = new ConsoleLogger({
    json: config.isProduction,
    logLevels: config.DEBUG ? ['debug', 'verbose', 'log', 'warn', 'error', 'fatal'] : ['log', 'warn', 'error', 'fatal'],
  });
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bodyParser: false,
    logger,
  });
  configureApp(app, config);
  prewarmActivityFileWorkers();
  await app.listen(config.PORT, config.HOST);
  closeGracefullyOnSignals(app, logger, config.SHUTDOWN_TIMEOUT_MS);
  logger.log(`Lanterne Rouge API listening on http://${config.HOST}:${config.PORT} (docs at /docs)`, 'Bootstrap');
}

bootstrap().catch((error: unknown) => {
  // Configuration errors name the variable; anything else is printed whole.
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
