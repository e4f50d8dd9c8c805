import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import type { AppConfig } from '../config/app-config';

export type { Logger };

/**
 * Where a secret can sit in what is logged, wherever it is nested one level down (`*.x`) or at the top:
 * credentials in headers, and the password and token fields of the API's bodies. Censored, never dropped,
 * so a reader sees that something was there.
 */
const SECRET_FIELDS = [
  'authorization',
  'cookie',
  'password',
  'current_password',
  'new_password',
  'token',
  'access_token',
  'refresh_token',
  'mfa_token',
  'recovery_code',
  'secret',
  'client_secret',
];
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  ...SECRET_FIELDS,
  ...SECRET_FIELDS.map((field) => `*.${field}`),
];
export const REDACTED = '[Redacted]';

/** The fields of the request line besides request_id (its message says them again, for pretty output). */
export const REQUEST_FIELDS = ['method', 'route', 'path', 'status', 'duration_ms', 'user_id'];

type LogSettings = Pick<AppConfig, 'LOG_LEVEL' | 'LOG_FORMAT' | 'DEBUG' | 'NODE_ENV'>;

/**
 * The process's one pino logger: JSON lines (ISO `time`, `level` as a word) in production, pino-pretty
 * lines in development. Written through sonic-boom asynchronously (`sync: false`): a slow reader of
 * stdout no longer stalls requests; pino flushes what is pending when the process exits.
 */
export function createLogger(settings: LogSettings, destination?: DestinationStream): Logger {
  const options: LoggerOptions = {
    level: settings.DEBUG && settings.LOG_LEVEL === 'info' ? 'debug' : settings.LOG_LEVEL,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACTED_PATHS, censor: REDACTED },
  };
  return pino(options, destination ?? defaultDestination(settings));
}

function defaultDestination(settings: LogSettings): DestinationStream {
  const format = settings.LOG_FORMAT ?? (settings.NODE_ENV === 'development' ? 'pretty' : 'json');
  if (format === 'pretty') {
    const pretty = loadPretty();
    if (pretty) {
      // One line each: `[12:00:00.000] INFO (pid): [Context] message request_id=...`.
      return pretty({
        colorize: process.stdout.isTTY,
        translateTime: 'SYS:HH:MM:ss.l',
        singleLine: true,
        messageFormat: '{if context}[{context}] {end}{msg}{if request_id} request_id={request_id}{end}',
        ignore: `hostname,context,request_id,${REQUEST_FIELDS.join(',')}`,
        sync: false,
      });
    }
  }
  return pino.destination({ dest: 1, sync: false });
}

type PrettyFactory = (options: Record<string, unknown>) => DestinationStream;

/** pino-pretty is a development dependency: a production install (no dev dependencies) logs JSON. */
function loadPretty(): PrettyFactory | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- optional at run time, so not a static import
    return require('pino-pretty') as PrettyFactory;
  } catch {
    return undefined;
  }
}
