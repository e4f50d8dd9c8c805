import type { Request } from 'express';

/** The route pattern a request matched (`/missions/:id`), or `unmatched`: what metrics and logs label it with. */
export function routePattern(req: Request): string {
  const pattern = (req.route as { path?: unknown } | undefined)?.path;
  return typeof pattern === 'string' ? `${req.baseUrl}${pattern}` : 'unmatched';
}
