/**
 * The same ride uploaded twice: same user, same sport, starts within 1 s. The key names the start's
 * second, so two identical uploads collide on the unique index `(user_id, dedup_key)` whatever their
 * timing; starts 1 s apart in neighbouring seconds are found by `neighbourKeys` before the insert.
 */
export function dedupKeyOf(sport: string, startTime: Date): string {
  return `${sport}:${Math.floor(startTime.getTime() / 1000)}`;
}

/** The keys of the seconds around a start that may hold a start within 1 s of it. */
export function neighbourKeys(sport: string, startTime: Date): string[] {
  const second = Math.floor(startTime.getTime() / 1000);
  return [second - 1, second, second + 1].map((s) => `${sport}:${s}`);
}

export const DUPLICATE_WINDOW_MS = 1000;
