import type { Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { requestId } from '../common/request-context';
import type { MetricsService } from './metrics.service';

/** One log line and the HTTP metrics per request, labelled with the route pattern (`/missions/:id`) and the request id. */
export function observeRequests(metrics: MetricsService, logger: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    const id = requestId();
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const pattern = (req.route as { path?: unknown } | undefined)?.path;
      const route = typeof pattern === 'string' ? `${req.baseUrl}${pattern}` : 'unmatched';
      metrics.observeRequest(req.method, route, res.statusCode, seconds);
      logger.log(
        `${req.method} ${req.originalUrl.split('?')[0]} ${res.statusCode} ${(seconds * 1000).toFixed(1)}ms request_id=${id}`,
      );
    });
    next();
  };
}
