import type { INestApplication, LoggerService } from '@nestjs/common';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/** The signals a container runtime, a process manager or a terminal stop the service with. */
const SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

/**
 * Graceful shutdown on SIGTERM or SIGINT, in the process that receives it (`npm start` execs node, so
 * npm's forwarded signal reaches this process and nothing is orphaned):
 *
 * 1. stop accepting connections and close idle keep-alive ones;
 * 2. let in-flight requests finish (their responses carry `Connection: close`), for at most `timeoutMs`,
 *    after which their connections are closed;
 * 3. `app.close()`: the scheduler stops, the job workers take nothing more and wait for their running
 *    jobs (at most `timeoutMs` again), the audit writer commits what it holds, Redis and the database are
 *    closed (the modules' shutdown hooks);
 * 4. log what happened and exit 0.
 *
 * A second signal during shutdown is ignored: the bound in step 2 already ends it.
 */
/** A logger whose pending lines can be awaited (pino writes asynchronously): flushed before the process exits. */
export interface FlushableLogger extends LoggerService {
  flush(): Promise<void>;
}

export function closeGracefullyOnSignals(app: INestApplication, logger: FlushableLogger, timeoutMs: number): void {
  const server = app.getHttpServer() as Server;
  const active = new Set<ServerResponse>();
  let stopping = false;

  server.on('request', (_req: IncomingMessage, res: ServerResponse) => {
    active.add(res);
    res.once('close', () => active.delete(res));
    if (stopping) {
      closeAfterResponse(res);
    }
  });

  const shutdown = async (signal: NodeJS.Signals): Promise<void> => {
    if (stopping) {
      return;
    }
    stopping = true;
    const started = Date.now();
    const inFlight = active.size;
    logger.log(
      `${signal} received: refusing new connections, finishing ${inFlight} in-flight request(s) (at most ${timeoutMs} ms)`,
      'Shutdown',
    );
    active.forEach(closeAfterResponse);
    const drained = new Promise<void>((resolve) => server.close(() => resolve()));
    const timer = setTimeout(() => {
      logger.warn(
        `${active.size} request(s) still running after SHUTDOWN_TIMEOUT_MS=${timeoutMs}: closing their connections`,
        'Shutdown',
      );
      server.closeAllConnections();
    }, timeoutMs);
    await drained;
    clearTimeout(timer);
    const unfinished = active.size;
    try {
      await app.close();
    } catch (error) {
      logger.error(`Shutdown hooks failed: ${String((error as Error)?.stack ?? error)}`, undefined, 'Shutdown');
      await logger.flush();
      process.exit(1);
    }
    logger.log(
      `Shutdown complete in ${Date.now() - started} ms: ${inFlight - unfinished} of ${inFlight} in-flight request(s) ` +
        'finished, audit writer flushed, database closed',
      'Shutdown',
    );
    await logger.flush();
    process.exit(0);
  };

  for (const signal of SIGNALS) {
    process.on(signal, () => void shutdown(signal));
  }
}

/** Asks the client to open a new connection (to another instance) for its next request. */
function closeAfterResponse(res: ServerResponse): void {
  if (!res.headersSent) {
    res.setHeader('Connection', 'close');
  }
}
