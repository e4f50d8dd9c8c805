import { ftpOn, type FtpOnDate } from '../athlete/ftp-history';
import { scoreActivity } from '../sport-science';
import type { Activity } from './activity.entity';

/** What scoring needs of the athlete: the FTP history (oldest first) and the threshold heart rate. */
export interface ScoringAthlete {
  ftpHistory: readonly FtpOnDate[];
  thresholdHr: number | null;
}

export type ScoreInputs = Pick<
  Activity,
  'localDate' | 'movingS' | 'normalizedPower' | 'avgPower' | 'avgHr' | 'manualTss'
>;
export type ScoreFields = Pick<Activity, 'intensityFactor' | 'tss' | 'tssMethod' | 'ftpUsed'>;

/** The score of an activity with the FTP of its own date (the contract's rules live in scoreActivity). */
export function scoreOf(activity: ScoreInputs, athlete: ScoringAthlete): ScoreFields {
  const score = scoreActivity(
    {
      moving_s: activity.movingS,
      normalized_power: activity.normalizedPower,
      avg_power: activity.avgPower,
      avg_hr: activity.avgHr,
      manual_tss: activity.manualTss,
    },
    ftpOn(athlete.ftpHistory, activity.localDate),
    athlete.thresholdHr,
  );
  return {
    intensityFactor: score.intensity_factor,
    tss: score.tss,
    tssMethod: score.tss_method,
    ftpUsed: score.ftp_used,
  };
}

export function sameScore(a: ScoreFields, b: ScoreFields): boolean {
  return (
    a.intensityFactor === b.intensityFactor && a.tss === b.tss && a.tssMethod === b.tssMethod && a.ftpUsed === b.ftpUsed
  );
}
