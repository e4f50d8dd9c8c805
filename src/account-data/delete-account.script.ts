import { type Redactor, redactorFor, scrubAuditRows } from '../audit/audit-scrub';
import type { Dialect, TransactionScript } from '../database/transaction-script';

/**
 * Where the account holds text the user wrote (besides the email), which must not survive in an audit
 * row. JSON columns are read whole and searched for their `name`.
 */
const PERSONAL_TEXT: { sql: string; columns: string[] }[] = [
  { sql: 'SELECT new_email FROM account_tokens WHERE user_id = :userId', columns: ['new_email'] },
  { sql: 'SELECT name, mission_type FROM missions WHERE user_id = :userId', columns: ['name', 'mission_type'] },
  { sql: 'SELECT draft FROM mission_drafts WHERE user_id = :userId', columns: ['draft'] },
  { sql: 'SELECT name, notes FROM activities WHERE user_id = :userId', columns: ['name', 'notes'] },
  { sql: 'SELECT notes FROM wellness_days WHERE user_id = :userId', columns: ['notes'] },
];

export type DeletionOutcome =
  { status: 'deleted'; redact: Redactor; auditRowsScrubbed: number } | { status: 'last_admin' } | { status: 'gone' };

/**
 * Deleting an account, as one transaction: the last active admin is refused; the user's audit rows lose
 * every text the user wrote; the Strava webhook events of their athlete go; then the users row, whose
 * foreign keys cascade to everything else the account owns (sessions and so every token, missions,
 * drafts, activities and their streams, wellness days, the athlete profile and FTP history, connections,
 * OAuth states, mailed tokens, queued and sent mail, the TOTP secret, recovery codes and MFA challenges).
 */
export function* deleteAccountScript(userId: number, dialect: Dialect): TransactionScript<DeletionOutcome> {
  // The account and every active admin, locked in id order on PostgreSQL: of two admins deleting themselves
  // at once, the second sees the first gone and is refused (SQLite's IMMEDIATE transaction serialises them).
  const { rows } = yield {
    sql: `SELECT id, email, is_admin, is_active FROM users WHERE id = :userId OR (is_admin AND is_active) ORDER BY id
          ${dialect === 'postgres' ? 'FOR UPDATE' : ''}`,
    params: { userId },
  };
  const me = rows.find((row) => Number(row.id) === userId);
  if (!me) {
    return { status: 'gone' };
  }
  const activeAdmin = (row: Record<string, unknown>): boolean => Boolean(row.is_admin) && Boolean(row.is_active);
  if (activeAdmin(me) && !rows.some((row) => Number(row.id) !== userId && activeAdmin(row))) {
    return { status: 'last_admin' };
  }

  const email = String(me.email);
  const texts = [email];
  for (const source of PERSONAL_TEXT) {
    const found = yield { sql: source.sql, params: { userId } };
    for (const row of found.rows) {
      texts.push(...source.columns.flatMap((column) => textsIn(row[column])));
    }
  }
  const redact = redactorFor(texts);
  const auditRowsScrubbed = yield* scrubAuditRows(userId, email, redact);

  yield {
    sql: `DELETE FROM strava_webhook_events
          WHERE owner_id IN (SELECT athlete_id FROM provider_connections WHERE user_id = :userId)`,
    params: { userId },
  };
  yield { sql: 'DELETE FROM users WHERE id = :userId', params: { userId } };
  return { status: 'deleted', redact, auditRowsScrubbed };
}

/** A column's text: itself, or for a JSON draft (text on SQLite, parsed on PostgreSQL) its `name`. */
function textsIn(value: unknown): string[] {
  if (typeof value === 'string' && value.startsWith('{')) {
    try {
      return textsIn(JSON.parse(value) as unknown);
    } catch {
      return [value];
    }
  }
  if (typeof value === 'string') {
    return [value];
  }
  if (value && typeof value === 'object' && 'name' in value && typeof value.name === 'string') {
    return [value.name];
  }
  return [];
}
