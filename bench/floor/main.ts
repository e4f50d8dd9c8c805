import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';

/**
 * The framework's floor for `npm run bench`: a bare Nest app on the same @nestjs/core and
 * @nestjs/platform-express as the API, one JSON route and nothing of its own besides (no middleware, guard,
 * pipe, interceptor, filter or database; Nest's default body parsers stay on, as in any Nest app). Every
 * row's cost is shown as a ratio to this app's.
 */
@Controller()
class FloorController {
  @Get('healthz')
  healthz(): { status: string } {
    return { status: 'ok' };
  }
}

@Module({ controllers: [FloorController] })
class FloorModule {}

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create<NestExpressApplication>(FloorModule, { logger: ['error'] });
  app.enableShutdownHooks();
  await app.listen(Number(process.env.PORT ?? 3001), process.env.HOST ?? '127.0.0.1');
}

void bootstrap();
