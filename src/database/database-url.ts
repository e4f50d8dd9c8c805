import * as path from 'node:path';

export type DatabaseKind = 'sqlite' | 'postgres';

export interface ParsedDatabaseUrl {
  kind: DatabaseKind;
  /** SQLite: absolute file path. PostgreSQL: the URL as given. */
  location: string;
}

/**
 * `sqlite:///./memory/lanterne.db` is relative to the working directory, `sqlite:////abs/x.db` is absolute
 * (the SQLAlchemy spelling the seed used); anything starting with postgres:// or postgresql:// is PostgreSQL.
 */
export function parseDatabaseUrl(url: string, cwd = process.cwd()): ParsedDatabaseUrl {
  if (/^postgres(ql)?:\/\//.test(url)) {
    return { kind: 'postgres', location: url };
  }
  const match = /^sqlite:\/\/\/(.+)$/.exec(url);
  if (!match) {
    throw new Error(`Unsupported DATABASE_URL: ${url.split(':')[0]}://...`);
  }
  const file = match[1];
  return { kind: 'sqlite', location: file.startsWith('/') ? file : path.resolve(cwd, file) };
}
