import type { NextFunction, Request, Response } from 'express';
import { routePattern } from '../common/route-pattern';
import type { MetricsService } from './metrics.service';

/** The HTTP metrics of each request, labelled with the route pattern (`/missions/:id`). */
export function observeRequests(metrics: MetricsService) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.observeRequest(req.method, routePattern(req), res.statusCode, seconds);
    });
    next();
  };
}
