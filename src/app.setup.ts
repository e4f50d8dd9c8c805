import type { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import { bodyErrors, jsonBodyParser, rejectMalformedPaths, requireJsonBody } from './common/body-parsing';
import { requestContext } from './common/request-context';
import { AppConfig } from './config/app-config';
import { setupDocs } from './docs/docs.setup';
import { type Logger } from './logging/logger';
import { APP_LOGGER } from './logging/logging.module';
import { logRequests } from './logging/request-logging.middleware';
import { MetricsService } from './metrics/metrics.service';
import { observeRequests } from './metrics/observe-requests.middleware';

/**
 * Everything around the routes, in one place, so main.ts and the tests build exactly the same app:
 * the request context (nestjs-cls: X-Request-Id, the per-request store), the request log line (pino), metrics,
 * security headers (helmet), CORS, JSON body parsing with its limits, docs.
 * (The global guard, pipe, interceptor and filter are providers in AppModule.)
 */
export function configureApp(app: NestExpressApplication, config: AppConfig): void {
  app.set('trust proxy', config.trustProxy);
  app.disable('x-powered-by');

  app.use(requestContext);
  app.use(logRequests(app.get<Logger>(APP_LOGGER)));
  app.use(observeRequests(app.get(MetricsService)));
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          'script-src': ["'self'"],
          'img-src': ["'self'", 'data:'],
          'worker-src': ["'self'", 'blob:'],
          // Served over plain http on localhost in development: do not force https sub-resources.
          'upgrade-insecure-requests': null,
        },
      },
    }),
  );
  app.enableCors({
    origin: config.corsOrigins,
    credentials: true,
    exposedHeaders: ['X-Request-Id', 'Retry-After'],
  });
  app.use(rejectMalformedPaths);
  app.use(requireJsonBody);
  app.use(jsonBodyParser(config.BODY_LIMIT));
  app.use(bodyErrors);

  setupDocs(app);
}
