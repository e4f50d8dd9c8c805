import { scoreActivity, type ScoreInput } from './score-activity';

const hour: ScoreInput = { moving_s: 3600, normalized_power: null, avg_power: null, avg_hr: null, manual_tss: null };

describe('scoreActivity', () => {
  it('scores one hour at FTP as TSS 100, IF 1', () => {
    expect(scoreActivity({ ...hour, normalized_power: 250, avg_power: 240 }, 250, 170)).toEqual({
      intensity_factor: 1,
      tss: 100,
      tss_method: 'power',
      ftp_used: 250,
    });
  });

  it('scores two hours at 75 % of FTP as 2 x 0.75^2 x 100 = 112.5', () => {
    const score = scoreActivity({ ...hour, moving_s: 7200, normalized_power: 150 }, 200, null);
    expect(score.intensity_factor).toBeCloseTo(0.75, 12);
    expect(score.tss).toBeCloseTo(112.5, 9);
  });

  it('uses average power when a manual entry has no NP', () => {
    const score = scoreActivity({ ...hour, avg_power: 200 }, 200, null);
    expect(score).toEqual({ intensity_factor: 1, tss: 100, tss_method: 'power', ftp_used: 200 });
  });

  it('leaves power activities unscored (null) until an FTP is set', () => {
    expect(scoreActivity({ ...hour, normalized_power: 250 }, null, 170)).toEqual({
      intensity_factor: null,
      tss: null,
      tss_method: 'power',
      ftp_used: null,
    });
  });

  it('scores heart rate without power: one hour at threshold is 100, 2 h at 90 % is 162 with IF 0.9', () => {
    expect(scoreActivity({ ...hour, avg_hr: 170 }, 250, 170)).toEqual({
      intensity_factor: 1,
      tss: 100,
      tss_method: 'heart_rate',
      ftp_used: null,
    });
    const score = scoreActivity({ ...hour, moving_s: 7200, avg_hr: 153 }, null, 170);
    expect(score.tss).toBeCloseTo(162, 9);
    expect(score.intensity_factor).toBeCloseTo(0.9, 12);
    // IF is the square root of TSS per hour / 100.
    expect(Math.sqrt((score.tss ?? 0) / 2 / 100)).toBeCloseTo(score.intensity_factor ?? 0, 12);
  });

  it('gives TSS 0 and method none when nothing is usable', () => {
    expect(scoreActivity({ ...hour, avg_hr: 150 }, 250, null)).toEqual({
      intensity_factor: null,
      tss: 0,
      tss_method: 'none',
      ftp_used: null,
    });
  });

  it("lets the athlete's own TSS win and keeps the power IF", () => {
    expect(scoreActivity({ ...hour, normalized_power: 200, manual_tss: 55 }, 250, null)).toEqual({
      intensity_factor: 0.8,
      tss: 55,
      tss_method: 'manual',
      ftp_used: 250,
    });
    expect(scoreActivity({ ...hour, manual_tss: 40 }, null, null)).toEqual({
      intensity_factor: null,
      tss: 40,
      tss_method: 'manual',
      ftp_used: null,
    });
  });
});
