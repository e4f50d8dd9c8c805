import { QueryFailedError } from 'typeorm';

/** Error codes that mean "the database cannot be reached or written right now", not "this request is wrong". */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '53300', // too_many_connections
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_READONLY',
  'SQLITE_READONLY_DBMOVED',
  'SQLITE_CANTOPEN',
  'SQLITE_IOERR',
  'SQLITE_FULL',
]);

const UNAVAILABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|The database connection is not open|database is locked|readonly database/i;

/** True for an outage of the database (answered 503), false for anything else (a bug: 500). */
export function isDatabaseUnavailable(error: unknown): boolean {
  const err = (error instanceof QueryFailedError ? (error.driverError as unknown) : error) as {
    code?: unknown;
    message?: unknown;
  } | null;
  if (!err || typeof err !== 'object') {
    return false;
  }
  const code = typeof err.code === 'string' ? err.code : '';
  const message = typeof err.message === 'string' ? err.message : '';
  return UNAVAILABLE_CODES.has(code) || code.startsWith('SQLITE_IOERR') || UNAVAILABLE_MESSAGES.test(message);
}

/** SQLite's and PostgreSQL's ways of saying "unique constraint failed". */
export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) {
    return false;
  }
  const driverError = error.driverError as { code?: string } | undefined;
  return driverError?.code === '23505' || driverError?.code === 'SQLITE_CONSTRAINT_UNIQUE';
}
