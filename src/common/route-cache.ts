import type { ExecutionContext, Type } from '@nestjs/common';

/** A route handler as Nest hands it over (`context.getHandler()`). */
type Handler = ReturnType<ExecutionContext['getHandler']>;

/**
 * A per-route memo for what guards and interceptors read from a route's decorators: the metadata is fixed
 * once the app has started, so it is looked up on a route's first request and reused on every later one
 * (instead of a Reflector lookup per request). Keyed by controller class and handler, since an inherited
 * handler can belong to several controllers.
 */
export function perRoute<T>(
  compute: (handler: Handler, controller: Type<unknown>) => T,
): (context: ExecutionContext) => T {
  const known = new WeakMap<Type<unknown>, Map<Handler, T>>();
  return (context) => {
    const controller = context.getClass();
    const handler = context.getHandler();
    let ofClass = known.get(controller);
    if (!ofClass) {
      ofClass = new Map();
      known.set(controller, ofClass);
    }
    if (ofClass.has(handler)) {
      return ofClass.get(handler) as T;
    }
    const value = compute(handler, controller);
    ofClass.set(handler, value);
    return value;
  };
}
