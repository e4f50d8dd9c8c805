import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import * as fs from 'node:fs';
import { ErrorResponseDto, ValidationErrorResponseDto } from '../common/error-response.dto';
import { APP_VERSION } from '../common/version';
import { ICON_SVG } from './icon';
import { completeDocument } from './openapi-completion';

const REDOC_HTML = `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8"/>
  <title>Lanterne Rouge API - ReDoc</title>
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <link rel="icon" type="image/svg+xml" href="/favicon.svg">
</head>
<body>
  <div id="redoc-container"></div>
  <script src="/redoc/redoc.standalone.js"></script>
  <script src="/redoc/init.js"></script>
</body>
</html>`;

/** ReDoc's side menu shows the Redocly logo from its CDN (no option turns it off): ours is served instead. */
const REDOC_CDN_LOGO = 'https://cdn.redoc.ly/redoc/logo-mini.svg';
const LOCAL_LOGO = '/favicon.svg';

/** Every tag an operation uses, in the order ReDoc's menu shows them. */
const TAGS: [string, string][] = [
  [
    'auth',
    'Register, log in (with an optional second factor), refresh and log out; password reset and email verification',
  ],
  ['users', "Your account (password, email) and, for admins, everyone's"],
  ['sessions', 'Your logins, each one revocable'],
  ['athlete', 'Your athlete profile: FTP history, heart-rate thresholds, zones'],
  ['activities', 'Rides and other workouts: uploaded files (FIT, TCX, GPX) or entered by hand, with their scores'],
  ['wellness', 'Daily readiness, sleep, HRV and resting heart rate'],
  ['training', 'Training load over time (CTL, ATL, TSB)'],
  ['missions', 'Goal events and the training towards them: the state machine, progress'],
  ['mission builder', 'A mission drafted by the LLM from a questionnaire, confirmed by you'],
  ['coach', "Daily briefings: each morning's session written by the LLM, overruled by your mission's rules"],
  ['connections', 'Strava: connect, import, the webhook Strava calls'],
  ['audit', 'Admin only: who did what, when'],
  ['jobs', 'Admin only: run a background job now'],
  ['health', 'Liveness, readiness, version and Prometheus metrics'],
];

const REDOC_INIT = `Redoc.init('/openapi.json', { hideDownloadButton: false }, document.getElementById('redoc-container'));`;

/**
 * Swagger UI at /docs, ReDoc at /redoc, the OpenAPI 3 document at /openapi.json. Everything is served
 * from node_modules (swagger-ui-dist, redoc's standalone bundle): no CDN, works offline.
 */
export function setupDocs(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Lanterne Rouge API')
    .setDescription(
      'Backend of the Lanterne Rouge AI cycling coach. Log in with POST /auth/login, then press ' +
        '"Authorize" and paste the access_token. Errors always carry a `detail` field; 422 details are ' +
        'lists of {loc, msg, type} items.',
    )
    .setVersion(APP_VERSION)
    // Relative: the document describes whichever host serves it (a proxy, a second instance, localhost).
    .addServer('/', 'The server that serves this document')
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
      description: 'The access_token from /auth/login',
    })
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', description: 'The METRICS_TOKEN value (only when the server sets one)' },
      'metrics_token',
    )
    .addGlobalResponse({
      status: 400,
      // What body parsing answers on any route, before a handler runs; routes with a rule of their own say so.
      description: 'Malformed JSON body',
      type: ErrorResponseDto,
    })
    .addGlobalResponse({
      status: 'default',
      description: 'Any other error, e.g. 500 {"detail": "Internal server error"}',
      type: ErrorResponseDto,
    });
  for (const [name, description] of TAGS) {
    config.addTag(name, description);
  }
  const document = completeDocument(
    SwaggerModule.createDocument(app, config.build(), {
      extraModels: [ErrorResponseDto, ValidationErrorResponseDto],
    }),
  );
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'openapi.json',
    swaggerOptions: { persistAuthorization: true },
    customSiteTitle: 'Lanterne Rouge API - Swagger UI',
    customfavIcon: LOCAL_LOGO,
  });

  const bundle = readRedocBundle();
  const http = app.getHttpAdapter();
  const icon = (_req: Request, res: Response): void => {
    res.setHeader('Cache-Control', 'public, max-age=86400');
    res.type('image/svg+xml').send(ICON_SVG);
  };
  http.get('/favicon.ico', icon);
  http.get('/favicon.svg', icon);
  http.get('/redoc', (_req: Request, res: Response) => res.type('html').send(REDOC_HTML));
  http.get('/redoc/init.js', (_req: Request, res: Response) => res.type('application/javascript').send(REDOC_INIT));
  http.get('/redoc/redoc.standalone.js', (_req: Request, res: Response) => {
    res.setHeader('Cache-Control', 'public, max-age=86400');
    res.type('application/javascript').send(bundle);
  });
}

/** redoc's standalone bundle, with the one URL it would load from a CDN pointing at our own icon. */
function readRedocBundle(): string {
  const bundle = fs.readFileSync(require.resolve('redoc/bundles/redoc.standalone.js'), 'utf8');
  if (!bundle.includes(REDOC_CDN_LOGO)) {
    // A redoc upgrade moved it: the browser test (test/deploy/docs-browser) fails on any request off the server.
    return bundle;
  }
  return bundle.split(REDOC_CDN_LOGO).join(LOCAL_LOGO);
}
