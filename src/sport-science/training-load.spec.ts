import { trainingLoad } from './training-load';

function days(tss: number[]): { date: string; tss: number }[] {
  const start = Date.UTC(2026, 0, 1);
  return tss.map((value, i) => ({ date: new Date(start + i * 86_400_000).toISOString().slice(0, 10), tss: value }));
}

describe('trainingLoad', () => {
  it('ends 42 days of 100 TSS from zero at CTL 63.2 (100 x (1 - 1/e))', () => {
    const load = trainingLoad(days(new Array<number>(42).fill(100)));
    expect(load[41].ctl).toBeCloseTo(100 * (1 - Math.exp(-1)), 9);
    expect(Math.round(load[41].ctl * 10) / 10).toBe(63.2);
    expect(load[41].date).toBe('2026-02-11');
  });

  it('follows the contract recurrences day by day', () => {
    const k42 = 1 - Math.exp(-1 / 42);
    const k7 = 1 - Math.exp(-1 / 7);
    const load = trainingLoad(days([100, 0, 50]));
    expect(load[0]).toEqual({
      date: '2026-01-01',
      tss: 100,
      ctl: 100 * k42,
      atl: 100 * k7,
      tsb: 0,
      ramp_rate: 100 * k42,
    });
    expect(load[1].ctl).toBeCloseTo(100 * k42 * (1 - k42), 12);
    // Form going into day 2 is yesterday's CTL minus yesterday's ATL.
    expect(load[1].tsb).toBeCloseTo(100 * k42 - 100 * k7, 12);
    expect(load[2].atl).toBeCloseTo(load[1].atl + (50 - load[1].atl) * k7, 12);
  });

  it('ends 7 days of 100 TSS at ATL 63.2 and measures the ramp over seven days', () => {
    const load = trainingLoad(days(new Array<number>(14).fill(100)));
    expect(load[6].atl).toBeCloseTo(100 * (1 - Math.exp(-1)), 9);
    expect(load[6].ramp_rate).toBeCloseTo(load[6].ctl, 12);
    expect(load[13].ramp_rate).toBeCloseTo(load[13].ctl - load[6].ctl, 12);
  });

  it('stays at zero for rest days from the start', () => {
    expect(trainingLoad(days([0, 0])).map(({ ctl, atl, tsb, ramp_rate }) => [ctl, atl, tsb, ramp_rate])).toEqual([
      [0, 0, 0, 0],
      [0, 0, 0, 0],
    ]);
    expect(trainingLoad([])).toEqual([]);
  });
});
