import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import * as fs from 'node:fs';
import { APP_VERSION } from '../common/version';
import { completeDocument } from './openapi-completion';

const REDOC_HTML = `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8"/>
  <title>Lanterne Rouge API - ReDoc</title>
  <meta name="viewport" content="width=device-width, initial-scale=1">
</head>
<body>
  <div id="redoc-container"></div>
  <script src="/redoc/redoc.standalone.js"></script>
  <script src="/redoc/init.js"></script>
</body>
</html>`;

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
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
      description: 'The access_token from /auth/login',
    })
    .build();
  const document = completeDocument(SwaggerModule.createDocument(app, config));
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'openapi.json',
    swaggerOptions: { persistAuthorization: true },
    customSiteTitle: 'Lanterne Rouge API - Swagger UI',
  });

  const bundle = fs.readFileSync(require.resolve('redoc/bundles/redoc.standalone.js'));
  const http = app.getHttpAdapter();
  http.get('/redoc', (_req: Request, res: Response) => res.type('html').send(REDOC_HTML));
  http.get('/redoc/init.js', (_req: Request, res: Response) => res.type('application/javascript').send(REDOC_INIT));
  http.get('/redoc/redoc.standalone.js', (_req: Request, res: Response) => {
    res.setHeader('Cache-Control', 'public, max-age=86400');
    res.type('application/javascript').send(bundle);
  });
}
