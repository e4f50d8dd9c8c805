import Database from 'better-sqlite3';
import { Pool } from 'pg';

/**
 * The few statements a suite runs on its server's database behind the server's back. One implementation a
 * database: the flags are 0/1 integers in SQLite and booleans in PostgreSQL, and the placeholders differ.
 */
export interface DirectDb {
  makeAdmin(userId: number): Promise<void>;
  /** Puts the user back as an active admin whose password has this bcrypt hash. */
  restoreAdmin(userId: number, hashedPassword: string): Promise<void>;
  /** The id of the session whose refresh token has this jti, if there is one. */
  sessionIdOf(refreshJti: string): Promise<number | undefined>;
  /** How many admins there are besides these users. */
  countAdminsExcept(userIds: number[]): Promise<number>;
  /** Every row of an activity table (a refused upload must leave both unchanged). */
  countRows(table: 'activities' | 'activity_streams'): Promise<number>;
  /** Activities from files whose streams row is missing (half-stored uploads). */
  countUploadsWithoutStreams(): Promise<number>;
  close(): Promise<void>;
}

const UPLOADS_WITHOUT_STREAMS = `SELECT count(*) FROM activities a WHERE a.source <> 'manual'
  AND NOT EXISTS (SELECT 1 FROM activity_streams s WHERE s.activity_id = a.id)`;

/** The server's SQLite file, opened alongside the server (WAL mode lets both write). */
export function sqliteDirectDb(file: string): DirectDb {
  const db = new Database(file);
  const run = (sql: string, ...params: unknown[]): Promise<void> => {
    db.prepare(sql).run(...params);
    return Promise.resolve();
  };
  /** The first column of the first row, if there is a row. */
  const first = (sql: string, ...params: unknown[]): Promise<unknown> => {
    const statement = db.prepare(sql).pluck();
    return Promise.resolve(statement.get(...params));
  };
  return {
    makeAdmin: (userId) => run('UPDATE users SET is_admin = 1 WHERE id = ?', userId),
    restoreAdmin: (userId, hashedPassword) =>
      run('UPDATE users SET hashed_password = ?, is_active = 1, is_admin = 1 WHERE id = ?', hashedPassword, userId),
    sessionIdOf: (jti) =>
      first('SELECT id FROM sessions WHERE refresh_token_jti = ?', jti) as Promise<number | undefined>,
    countAdminsExcept: (userIds) =>
      first(
        'SELECT count(*) FROM users WHERE is_admin = 1 AND id NOT IN (SELECT value FROM json_each(?))',
        JSON.stringify(userIds),
      ).then(Number),
    countRows: (table) => first(`SELECT count(*) FROM ${table}`).then(Number),
    countUploadsWithoutStreams: () => first(UPLOADS_WITHOUT_STREAMS).then(Number),
    close: () => {
      db.close();
      return Promise.resolve();
    },
  };
}

/** The server's PostgreSQL database, through one connection of its own. */
export function postgresDirectDb(url: string): DirectDb {
  const pool = new Pool({ connectionString: url, max: 1, connectionTimeoutMillis: 5000 });
  const run = async (sql: string, ...params: unknown[]): Promise<void> => {
    await pool.query(sql, params);
  };
  /** The first column of the first row, if there is a row. */
  const first = async (sql: string, ...params: unknown[]): Promise<unknown> =>
    (await pool.query<unknown[]>({ text: sql, values: params, rowMode: 'array' })).rows[0]?.[0];
  return {
    makeAdmin: (userId) => run('UPDATE users SET is_admin = true WHERE id = $1', userId),
    restoreAdmin: (userId, hashedPassword) =>
      run(
        'UPDATE users SET hashed_password = $1, is_active = true, is_admin = true WHERE id = $2',
        hashedPassword,
        userId,
      ),
    sessionIdOf: (jti) =>
      first('SELECT id FROM sessions WHERE refresh_token_jti = $1', jti) as Promise<number | undefined>,
    // count(*) is a bigint, which pg hands over as a string.
    countAdminsExcept: (userIds) =>
      first('SELECT count(*) FROM users WHERE is_admin AND id <> ALL($1::int[])', userIds).then(Number),
    countRows: (table) => first(`SELECT count(*) FROM ${table}`).then(Number),
    countUploadsWithoutStreams: () => first(UPLOADS_WITHOUT_STREAMS).then(Number),
    close: () => pool.end(),
  };
}
