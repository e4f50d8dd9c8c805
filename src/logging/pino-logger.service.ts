import { requestId } from '../common/request-context';
import type { FlushableLogger } from '../lifecycle/graceful-shutdown';
import type { Logger } from './logger';

type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

/**
 * Nest's logger (start-up messages, `new Logger(Context)` in services) over pino: one JSON line with
 * `context`, and `request_id` when the message comes from within a request.
 */
export class PinoLoggerService implements FlushableLogger {
  constructor(private readonly pino: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  /** Resolves once every line logged so far has been written (before the process exits). */
  flush(): Promise<void> {
    return new Promise((resolve) => this.pino.flush(() => resolve()));
  }

  /** Nest calls `error(message, stack?, context?)`. */
  error(message: unknown, ...params: unknown[]): void {
    const [first, second] = params;
    const stack = typeof first === 'string' && (second !== undefined || looksLikeStack(first)) ? first : undefined;
    this.write('error', message, stack === undefined ? params : params.slice(1), stack);
  }

  private write(level: Level, message: unknown, params: unknown[], stack?: string): void {
    if (!this.pino.isLevelEnabled(level)) {
      return;
    }
    const last = params.at(-1);
    const fields: Record<string, unknown> = {};
    if (typeof last === 'string') {
      fields.context = last;
    }
    const id = requestId();
    if (id !== undefined) {
      fields.request_id = id;
    }
    if (stack !== undefined) {
      fields.stack = stack;
    }
    if (message instanceof Error) {
      this.pino[level]({ ...fields, err: message }, message.message);
    } else if (message !== null && typeof message === 'object') {
      this.pino[level]({ ...fields, ...(message as Record<string, unknown>) });
    } else {
      this.pino[level](fields, String(message));
    }
  }
}

const looksLikeStack = (text: string): boolean => /\n\s+at /.test(text);
