import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express from 'express';
import helmet from 'helmet';
import {
  auditNotesContext,
  bodyErrors,
  observeRequests,
  rejectDeepJson,
  rejectMalformedPaths,
  requestId,
  requireJsonBody,
} from './common/http-middleware';
import { AppConfig } from './config/app-config';
import { setupDocs } from './docs/docs.setup';
import { MetricsService } from './metrics/metrics.service';

/**
 * Everything around the routes, in one place, so main.ts and the tests build exactly the same app:
 * request ids, metrics and log lines, security headers, CORS, JSON body parsing with its limits, docs.
 * (The global guard, pipe, interceptor and filter are providers in AppModule.)
 */
export function configureApp(app: NestExpressApplication, config: AppConfig): void {
  app.set('trust proxy', config.trustProxy);
  app.disable('x-powered-by');
  app.enableShutdownHooks();

  app.use(requestId);
  app.use(observeRequests(app.get(MetricsService), new Logger('HTTP')));
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
  // Not strict: any JSON value parses, and a body that is not an object gets the pipe's clear 422.
  app.use(
    express.json({
      limit: config.BODY_LIMIT,
      strict: false,
      type: ['application/json', 'application/*+json'],
      verify: rejectDeepJson,
    }),
  );
  app.use(bodyErrors);
  app.use(auditNotesContext);

  setupDocs(app);
}
