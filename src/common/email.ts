/** Emails are one account whatever their case or surrounding spaces. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** For `@Transform(normalizedEmail)` on request fields: strings normalized, anything else left to the validators. */
export const normalizedEmail = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? normalizeEmail(value) : value;

/** Printable text only: no control characters (PostgreSQL refuses a NUL in text, which would be a 500). */
export const PRINTABLE = /^[\x20-\x7e\u00a0-\uffff]*$/;
