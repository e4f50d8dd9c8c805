import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * helmet's security headers, worked out once. With options that hold no per-request value (no CSP nonce
 * function), helmet sets the same headers on every response; its middlewares (one per header, the CSP
 * string joined again each time) are run once at start-up against a recording response, and each request
 * then gets the recorded headers, in helmet's order, in one step.
 */
export function securityHeaders(options: HelmetOptions): RequestHandler {
  const csp = options.contentSecurityPolicy;
  const directives: Record<string, unknown> = typeof csp === 'object' ? (csp.directives ?? {}) : {};
  for (const [name, value] of Object.entries(directives)) {
    if (
      value !== null &&
      typeof value === 'object' &&
      [...(value as Iterable<unknown>)].some((v) => typeof v === 'function')
    ) {
      throw new Error(`securityHeaders: the CSP directive ${name} has a per-request value; use helmet itself`);
    }
  }
  const set: [string, string][] = [];
  const removed: string[] = [];
  const recorder = {
    setHeader: (name: string, value: string | number | readonly string[]) => {
      if (Array.isArray(value)) {
        throw new Error(`helmet set ${name} to several values: not supported here`);
      }
      set.push([name, String(value)]);
    },
    removeHeader: (name: string) => removed.push(name),
  } as unknown as Response;
  let finished = false;
  helmet(options)({} as Request, recorder, (error?: unknown) => {
    if (error) {
      throw error instanceof Error ? error : new Error('helmet refused its options');
    }
    finished = true;
  });
  if (!finished) {
    throw new Error('helmet did not set its headers synchronously');
  }
  return (_req: Request, res: Response, next: NextFunction): void => {
    for (const [name, value] of set) {
      res.setHeader(name, value);
    }
    for (const name of removed) {
      res.removeHeader(name);
    }
    next();
  };
}
