import { Column, ColumnOptions, getMetadataArgsStorage } from 'typeorm';
import { DatabaseKind } from './database-url';

/**
 * Entities are written once for both databases. These decorators declare the portable intent
 * (a UTC timestamp, a JSON document, a UUID); `useColumnTypesFor()` maps that intent to the engine's best
 * type before the DataSource is built: `timestamptz`/`jsonb` on PostgreSQL, `datetime`/`json` on SQLite.
 */
const TIMESTAMP_TYPES = new Set(['datetime', 'timestamptz']);
const JSON_TYPES = new Set(['json', 'jsonb']);
const BINARY_TYPES = new Set(['blob', 'bytea']);

export function TimestampColumn(options: ColumnOptions = {}): PropertyDecorator {
  return Column({ ...options, type: 'datetime', precision: undefined });
}

export function JsonColumn(options: ColumnOptions = {}): PropertyDecorator {
  return Column({ ...options, type: 'json' });
}

/** Columns declared with `UuidColumn`: `uuid` on PostgreSQL, `varchar(36)` on SQLite (see migrationTypes). */
const UUID_COLUMNS = new WeakSet<object>();

/** A UUID held as a string (ids are generated in code with randomUUID); `primary: true` for a key. */
export function UuidColumn(options: ColumnOptions = {}): PropertyDecorator {
  return (target, propertyName) => {
    Column({ ...options, type: 'uuid' })(target, propertyName);
    const columns = getMetadataArgsStorage().columns;
    UUID_COLUMNS.add(columns[columns.length - 1]);
  };
}

export function useColumnTypesFor(kind: DatabaseKind): void {
  for (const column of getMetadataArgsStorage().columns) {
    if (UUID_COLUMNS.has(column)) {
      column.options.type = kind === 'postgres' ? 'uuid' : 'varchar';
      column.options.length = kind === 'postgres' ? undefined : 36;
      continue;
    }
    const type = column.options.type;
    if (typeof type !== 'string') {
      continue;
    }
    if (TIMESTAMP_TYPES.has(type)) {
      column.options.type = kind === 'postgres' ? 'timestamptz' : 'datetime';
      column.options.precision = kind === 'postgres' ? 3 : undefined;
    } else if (JSON_TYPES.has(type)) {
      column.options.type = kind === 'postgres' ? 'jsonb' : 'json';
    } else if (BINARY_TYPES.has(type)) {
      column.options.type = kind === 'postgres' ? 'bytea' : 'blob';
    }
  }
}

/** Column types for hand-written migrations, so one migration file serves both databases. */
export function migrationTypes(kind: DatabaseKind): { timestamp: string; json: string; uuid: string } {
  return kind === 'postgres'
    ? { timestamp: 'timestamptz(3)', json: 'jsonb', uuid: 'uuid' }
    : { timestamp: 'datetime', json: 'json', uuid: 'varchar(36)' };
}

/** Bytes (compressed activity streams): `bytea` on PostgreSQL, `blob` on SQLite. */
export function BinaryColumn(options: ColumnOptions = {}): PropertyDecorator {
  return Column({ ...options, type: 'blob' });
}

/** The binary column type for hand-written migrations. */
export function binaryColumnType(kind: DatabaseKind): string {
  return kind === 'postgres' ? 'bytea' : 'blob';
}
