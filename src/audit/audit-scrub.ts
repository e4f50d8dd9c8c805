import type { TransactionScript } from '../database/transaction-script';

/** What a scrubbed piece of text is replaced with. */
export const REDACTED = '[redacted]';

/** Texts shorter than this are not searched for: a one- or two-letter name would blank out every row. */
const MIN_TEXT_LENGTH = 3;

/** Audit rows read and rewritten per statement while scrubbing. */
const SCRUB_PAGE = 500;

/** Resource ids the server itself writes: integer ids, UUIDs, calendar dates. Anything else came from a path. */
const SERVER_WRITTEN_ID =
  /^(\d{1,20}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\d{4}-\d{2}-\d{2})$/i;

export type Redactor = (text: string) => string;

/**
 * A function that replaces every occurrence of the given texts (the user's email, names and notes they
 * wrote), whatever its case, with `[redacted]`. Longer texts first, so a name that contains another is
 * replaced whole.
 */
export function redactorFor(texts: Iterable<string>): Redactor {
  const distinct = [...new Set([...texts].map((text) => text.trim().toLowerCase()))]
    .filter((text) => text.length >= MIN_TEXT_LENGTH)
    .sort((a, b) => b.length - a.length);
  if (distinct.length === 0) {
    return (text) => text;
  }
  const pattern = new RegExp(distinct.map((text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'gi');
  return (text) => text.replace(pattern, REDACTED);
}

interface ScrubbableRow {
  id: number;
  resource_id: string | null;
  details: string | null;
  user_agent: string | null;
  request_id: string | null;
}

/** The row's text columns as they must be once the user is gone: null for a column that needs no change. */
export function scrubbedColumns(row: ScrubbableRow, redact: Redactor): Omit<ScrubbableRow, 'id'> | null {
  const clean = (value: string | null): string | null => (value === null ? null : redact(value));
  const next = {
    // A path id that is not an id (`GET /missions/<a mission's name>`) is text the user typed: gone whole.
    resource_id: row.resource_id === null || SERVER_WRITTEN_ID.test(row.resource_id) ? row.resource_id : REDACTED,
    details: clean(row.details),
    user_agent: clean(row.user_agent),
    request_id: clean(row.request_id),
  };
  const changed = (Object.keys(next) as (keyof typeof next)[]).some((key) => next[key] !== row[key]);
  return changed ? next : null;
}

/**
 * The audit side of deleting an account, run inside the deletion's transaction: the user's rows stay (the
 * security record, `user_id` included) but lose every text the user wrote. So do anonymous rows that hold
 * the email (a request refused before its user was known: a revoked token, a failed login); finding those
 * reads every anonymous row once. `action`, `resource`, `status_code`, `ip_address` and `created_at` are
 * the server's own facts and stay as they are. Returns how many rows changed.
 */
export function* scrubAuditRows(userId: number, email: string, redact: Redactor): TransactionScript<number> {
  const mentions = (column: string) => `lower(coalesce(${column}, '')) LIKE :email`;
  const scopes: { where: string; params: Record<string, string | number> }[] = [
    { where: 'user_id = :userId', params: { userId } },
    {
      where: `user_id IS NULL AND (${['user_agent', 'details', 'resource_id'].map(mentions).join(' OR ')})`,
      params: { email: `%${email.toLowerCase()}%` },
    },
  ];
  let changed = 0;
  for (const scope of scopes) {
    changed += yield* scrubRows(scope.where, scope.params, redact);
  }
  return changed;
}

function* scrubRows(
  where: string,
  params: Record<string, string | number>,
  redact: Redactor,
): TransactionScript<number> {
  let after = 0;
  let changed = 0;
  for (;;) {
    const { rows } = yield {
      sql: `SELECT id, resource_id, details, user_agent, request_id FROM audit_logs
            WHERE ${where} AND id > :after ORDER BY id LIMIT ${SCRUB_PAGE}`,
      params: { ...params, after },
    };
    for (const row of rows as unknown as ScrubbableRow[]) {
      const next = scrubbedColumns(row, redact);
      if (next) {
        yield {
          sql: `UPDATE audit_logs SET resource_id = :resourceId, details = :details, user_agent = :userAgent,
                request_id = :requestId WHERE id = :id`,
          params: {
            id: Number(row.id),
            resourceId: next.resource_id,
            details: next.details,
            userAgent: next.user_agent,
            requestId: next.request_id,
          },
        };
        changed += 1;
      }
    }
    if (rows.length < SCRUB_PAGE) {
      return changed;
    }
    after = Number(rows[rows.length - 1].id);
  }
}
