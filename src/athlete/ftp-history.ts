/** An FTP and the date it applies from. */
export interface FtpOnDate {
  ftp: number;
  effectiveFrom: string;
}

/**
 * The FTP of a date: the latest entry on or before it; a date before the first entry takes the first
 * (the contract's rule); null when there is none. `history` is oldest first.
 */
export function ftpOn(history: readonly FtpOnDate[], date: string): number | null {
  if (history.length === 0) {
    return null;
  }
  let ftp = history[0].ftp;
  for (const entry of history) {
    if (entry.effectiveFrom > date) {
      break;
    }
    ftp = entry.ftp;
  }
  return ftp;
}
