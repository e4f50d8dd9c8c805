import type { ActivityStreams } from './activity-streams';
import { heartRateZones, powerZones, timeInPowerZones } from './zones';

describe('zones', () => {
  it('puts Coggan power boundaries at 55/75/90/105/120/150 % of FTP, rounded half up', () => {
    expect(powerZones(250)).toEqual([
      { zone: 1, name: 'Active Recovery', min: 0, max: 137 },
      { zone: 2, name: 'Endurance', min: 138, max: 187 },
      { zone: 3, name: 'Tempo', min: 188, max: 224 },
      { zone: 4, name: 'Threshold', min: 225, max: 262 },
      { zone: 5, name: 'VO2max', min: 263, max: 299 },
      { zone: 6, name: 'Anaerobic', min: 300, max: 374 },
      { zone: 7, name: 'Neuromuscular', min: 375, max: null },
    ]);
  });

  it('puts heart-rate boundaries at 68/83/94/105 % of threshold', () => {
    expect(heartRateZones(170).map(({ min, max }) => [min, max])).toEqual([
      [0, 115],
      [116, 140],
      [141, 159],
      [160, 178],
      [179, null],
    ]);
    expect(heartRateZones(170)).toHaveLength(5);
  });

  it('counts 1-s grid seconds of power per zone, leaving pauses and missing samples out', () => {
    const time: number[] = [];
    const power: (number | null)[] = [];
    const add = (from: number, count: number, watts: number | null): void => {
      for (let i = 0; i < count; i++) {
        time.push(from + i);
        power.push(watts);
      }
    };
    add(0, 60, 137); // zone 1 (137.5 rounds to 138)
    add(60, 60, 138); // zone 2
    add(120, 10, null); // no power: counted nowhere
    add(130, 30, 400); // zone 7, then a long stop
    add(1000, 5, 262.9); // zone 4 (below 263)
    const streams: ActivityStreams = {
      time,
      power,
      heart_rate: null,
      cadence: null,
      altitude: null,
      distance: null,
      speed: null,
    };
    expect(timeInPowerZones(streams, 250)).toEqual([60, 60, 0, 5, 0, 0, 30]);
  });

  it('gives seven zeros without power', () => {
    const streams: ActivityStreams = {
      time: [0, 1],
      power: null,
      heart_rate: null,
      cadence: null,
      altitude: null,
      distance: null,
      speed: null,
    };
    expect(timeInPowerZones(streams, 250)).toEqual([0, 0, 0, 0, 0, 0, 0]);
  });
});
