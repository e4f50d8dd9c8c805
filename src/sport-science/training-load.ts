export interface LoadDay {
  date: string;
  tss: number;
  ctl: number;
  atl: number;
  tsb: number;
  ramp_rate: number;
}

/** Time constants of chronic (fitness) and acute (fatigue) training load, in days. */
export const CTL_DAYS = 42;
export const ATL_DAYS = 7;
const RAMP_DAYS = 7;

/**
 * The performance management chart (Coggan's PMC as TrainingPeaks and GoldenCheetah's PMCData compute
 * it): exponentially weighted daily TSS, `CTL(d) = CTL(d-1) + (TSS(d) - CTL(d-1)) x (1 - e^(-1/42))`,
 * the same for ATL with 7; `TSB(d) = CTL(d-1) - ATL(d-1)` (form going into the day); ramp rate
 * `CTL(d) - CTL(d-7)`. `days` are consecutive dates, oldest first, starting from zero load (the day of
 * the first activity or any earlier day with 0 TSS). Unrounded.
 */
export function trainingLoad(days: readonly { date: string; tss: number }[]): LoadDay[] {
  const ctlFactor = 1 - Math.exp(-1 / CTL_DAYS);
  const atlFactor = 1 - Math.exp(-1 / ATL_DAYS);
  const ctlHistory = new Float64Array(days.length);
  const out: LoadDay[] = new Array<LoadDay>(days.length);
  let ctl = 0;
  let atl = 0;
  for (let d = 0; d < days.length; d++) {
    const { date, tss } = days[d];
    const tsb = ctl - atl;
    ctl += (tss - ctl) * ctlFactor;
    atl += (tss - atl) * atlFactor;
    ctlHistory[d] = ctl;
    const weekAgo = d >= RAMP_DAYS ? ctlHistory[d - RAMP_DAYS] : 0;
    out[d] = { date, tss, ctl, atl, tsb, ramp_rate: ctl - weekAgo };
  }
  return out;
}
