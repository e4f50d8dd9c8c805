import { Injectable } from '@nestjs/common';

/** What a profile update changed that other features must follow (the scores and dates of activities). */
export interface AthleteChange {
  userId: number;
  /**
   * Set when an FTP entry was added or replaced: the earliest date whose FTP may differ, or null for
   * every date (a new first entry also applies to the activities before it).
   */
  ftpChangedFrom?: string | null;
  thresholdHrChanged?: boolean;
  timezoneChanged?: boolean;
}

type Listener = (change: AthleteChange) => Promise<void>;

/**
 * The athlete module announces profile changes here; the activities module listens (re-scoring,
 * re-dating) without the athlete module depending on it. Listeners run before the update answers.
 */
@Injectable()
export class AthleteChanges {
  private readonly listeners: Listener[] = [];

  listen(listener: Listener): void {
    this.listeners.push(listener);
  }

  async publish(change: AthleteChange): Promise<void> {
    for (const listener of this.listeners) {
      await listener(change);
    }
  }
}
