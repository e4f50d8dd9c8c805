import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TlsOptions } from 'node:tls';
import { types as pgTypes } from 'pg';
import { DataSourceOptions } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { useColumnTypesFor } from './columns';
import { parseDatabaseUrl } from './database-url';
import { QueryLogger } from './query-logger';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

/**
 * The one description of the database connection, shared by the app, the TypeORM CLI (ormconfig.ts)
 * and the admin commands. `synchronize` is off everywhere: migrations are the only way the schema changes.
 */
export function buildDataSourceOptions(config: AppConfig): DataSourceOptions {
  const db = parseDatabaseUrl(config.DATABASE_URL);
  useColumnTypesFor(db.kind);
  const common = {
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    synchronize: false,
    logger: new QueryLogger(config.DEBUG),
  };
  if (db.kind === 'postgres') {
    // Calendar dates stay 'YYYY-MM-DD' strings, whatever the process time zone (pg's default is a local Date).
    pgTypes.setTypeParser(pgTypes.builtins.DATE, (value: string) => value);
    return {
      ...common,
      type: 'postgres',
      url: db.location,
      poolSize: config.DATABASE_POOL_SIZE,
      ssl: tlsOptions(config),
      migrationsTransactionMode: 'each',
      extra: { connectionTimeoutMillis: 5000 },
    };
  }
  fs.mkdirSync(path.dirname(db.location), { recursive: true });
  return {
    ...common,
    type: 'better-sqlite3',
    database: db.location,
    enableWAL: true,
    timeout: 5000,
    // TypeORM turns foreign keys on for the connection; WAL with synchronous=NORMAL is durable
    // against process crashes and much faster than FULL.
    prepareDatabase: (db: { pragma: (sql: string) => unknown }) => {
      db.pragma('synchronous = NORMAL');
    },
    migrationsTransactionMode: 'each',
  };
}

/** PostgreSQL's TLS: verified by default, against DATABASE_SSL_CA when one is named; `no-verify` only on request. */
function tlsOptions(config: AppConfig): TlsOptions | false {
  if (config.DATABASE_SSL === 'no-verify') {
    return { rejectUnauthorized: false };
  }
  if (!config.DATABASE_SSL) {
    return false;
  }
  const ca = config.DATABASE_SSL_CA;
  return { rejectUnauthorized: true, ...(ca ? { ca: readCa(ca) } : {}) };
}

function readCa(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`DATABASE_SSL_CA: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`, {
      cause: error,
    });
  }
}
