import { AsyncLocalStorage } from 'node:async_hooks';

/** What a service learns while handling a request that belongs in its audit row. */
export interface AuditNotes {
  requestId: string;
  ip: string | null;
  userAgent: string | null;
  userId?: number;
  /** Overrides the route's declared resource when the row is about something else. */
  resource?: string;
  resourceId?: string;
  details?: string;
}

const storage = new AsyncLocalStorage<AuditNotes>();

/** Runs the rest of the request with a notes object services can add to (set up once per request). */
export function runWithAuditNotes<T>(notes: AuditNotes, fn: () => T): T {
  return storage.run(notes, fn);
}

/** Adds facts to the current request's audit row (the user who logged in, the id created, a short detail). */
export function noteForAudit(notes: Partial<Omit<AuditNotes, 'requestId' | 'ip' | 'userAgent'>>): void {
  const current = storage.getStore();
  if (current) {
    Object.assign(current, notes);
  }
}

export function currentAuditNotes(): AuditNotes | undefined {
  return storage.getStore();
}
