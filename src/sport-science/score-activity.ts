export type TssMethod = 'power' | 'heart_rate' | 'manual' | 'none';

export interface ScoreInput {
  moving_s: number;
  normalized_power: number | null;
  avg_power: number | null;
  avg_hr: number | null;
  manual_tss: number | null;
}

export interface Score {
  intensity_factor: number | null;
  tss: number | null;
  tss_method: TssMethod;
  ftp_used: number | null;
}

/**
 * Training stress of one activity, unrounded. Power TSS and IF after Coggan (TrainingPeaks, "Normalized
 * Power, Intensity Factor and Training Stress Score"): IF = NP / FTP, TSS = s x NP x IF / (FTP x 3600) x 100.
 * Heart-rate TSS (hrTSS) = hours x (avg HR / threshold HR)^2 x 100, its IF the square root of TSS per
 * hour / 100. The contract's order: the athlete's own TSS wins; else power (NP, else average power, as a
 * manual entry may only give that) with the FTP of the activity's date; else heart rate with the
 * threshold; else 0 (`none`). Power without any FTP yet: TSS, IF and ftp_used stay null until one is set.
 */
export function scoreActivity(input: ScoreInput, ftp: number | null, thresholdHr: number | null): Score {
  const computed = computedScore(input, ftp, thresholdHr);
  if (input.manual_tss !== null) {
    return { ...computed, tss: input.manual_tss, tss_method: 'manual' };
  }
  return computed;
}

function computedScore(input: ScoreInput, ftp: number | null, thresholdHr: number | null): Score {
  const power = input.normalized_power ?? input.avg_power;
  if (power !== null) {
    if (ftp === null || ftp <= 0) {
      return { intensity_factor: null, tss: null, tss_method: 'power', ftp_used: null };
    }
    const intensity = power / ftp;
    const tss = ((input.moving_s * power * intensity) / (ftp * 3600)) * 100;
    return { intensity_factor: intensity, tss, tss_method: 'power', ftp_used: ftp };
  }
  if (input.avg_hr !== null && thresholdHr !== null && thresholdHr > 0) {
    const ratio = input.avg_hr / thresholdHr;
    // sqrt(TSS per hour / 100) = avg / threshold; written so an activity of 0 s still gets its IF.
    return {
      intensity_factor: ratio,
      tss: (input.moving_s / 3600) * ratio * ratio * 100,
      tss_method: 'heart_rate',
      ftp_used: null,
    };
  }
  return { intensity_factor: null, tss: 0, tss_method: 'none', ftp_used: null };
}
