import {
  activityFixture,
  BROKEN_ACTIVITY_FIXTURES,
  fitFile,
  FIXTURE_START,
  fourHourRide,
  gpxFile,
  gzip,
  ride,
  tcxFile,
  type ActivitySample,
  type ActivitySpec,
} from '../helpers/activity-files';
import { LoggedIn, registerAndLogin } from '../helpers/auth';
import { activityRowCounts } from '../helpers/rows';
import { createTestApp, TestApp } from '../helpers/test-app';
import { putAthlete } from '../helpers/training';

const FTP = 250;
const THRESHOLD_HR = 160;
const DAY_MS = 86_400_000;

/** A start `days` before the fixtures' start, so every ride of this file has its own (no 409). */
const daysBefore = (days: number): Date => new Date(FIXTURE_START.getTime() - days * DAY_MS);

/** `|actual - exact| <= tolerance`: answers are rounded half up (0.1 for watts and TSS, 0.001 for IF). */
function expectRounded(actual: unknown, exact: number, tolerance: number): void {
  expect(typeof actual).toBe('number');
  expect(Math.abs((actual as number) - exact)).toBeLessThanOrEqual(tolerance + 1e-9);
}

/**
 * Normalized power straight from its definition, for a ride without pauses: every 30-s window's mean
 * power, to the 4th power, averaged, 4th root (Coggan). Deliberately naive (sums each window anew).
 */
function referenceNp(power: number[]): number {
  let sum4 = 0;
  let windows = 0;
  for (let end = 29; end < power.length; end++) {
    let sum = 0;
    for (let i = end - 29; i <= end; i++) {
      sum += power[i];
    }
    sum4 += (sum / 30) ** 4;
    windows++;
  }
  return (sum4 / windows) ** 0.25;
}

type Writer = (spec: ActivitySpec) => Buffer;
const WRITERS: [string, string, Writer][] = [
  ['FIT', 'fit', fitFile],
  ['TCX', 'tcx', (spec) => Buffer.from(tcxFile(spec))],
  ['GPX', 'gpx', (spec) => Buffer.from(gpxFile(spec))],
  ['gzip-compressed FIT', 'fit', (spec) => gzip(fitFile(spec))],
  ['gzip-compressed TCX', 'tcx', (spec) => gzip(tcxFile(spec))],
  ['gzip-compressed GPX', 'gpx', (spec) => gzip(gpxFile(spec))],
];

/**
 * Real files through POST /activities/upload (FIT written by Garmin's FIT SDK encoder, TCX with power in
 * the TPX extension, GPX with `<power>` and Garmin's TrackPointExtension, each also gzip-compressed):
 * the formulas checked on cases a person can compute by hand, and every kind of bad file answered with
 * a 4xx that says what is wrong while nothing is stored. Runs on PostgreSQL too (TEST_DATABASE_URL).
 */
describe('activity files through POST /activities/upload (e2e)', () => {
  let t: TestApp;
  let rider: LoggedIn;

  beforeAll(async () => {
    t = await createTestApp();
    rider = await registerAndLogin(t.http);
    await putAthlete(t.http, rider.auth, { ftp: FTP, ftp_effective_from: '2025-01-01', threshold_hr: THRESHOLD_HR });
  });
  afterAll(async () => {
    await t.close();
  });

  const upload = (file: Buffer, filename = 'activity') =>
    t.http.post('/activities/upload').set(rider.auth).attach('file', file, filename);

  describe('formulas checked by hand through the API', () => {
    it.each(WRITERS.map(([label, source, write], i) => ({ label, source, write, day: i + 1 })))(
      'one hour at a constant FTP from a $label file: NP = average power = FTP, IF 1, TSS 100',
      async ({ source, write, day }) => {
        const spec = ride(3600, () => ({ power: FTP, heartRate: 150, cadence: 90 }), daysBefore(day));
        const res = await upload(write(spec)).expect(201);
        expect(res.body).toMatchObject({
          source,
          sport: 'ride',
          start_time: spec.start.toISOString(),
          moving_s: 3600,
          elapsed_s: 3599,
          avg_power: FTP,
          max_power: FTP,
          normalized_power: FTP,
          intensity_factor: 1,
          tss: 100,
          tss_method: 'power',
          ftp_used: FTP,
          avg_hr: 150,
          max_hr: 150,
          avg_cadence: 90,
          // 250 W is zone 4 (225-262 W) of FTP 250, every second of the hour.
          time_in_power_zones_s: [0, 0, 0, 3600, 0, 0, 0],
        });
        // 3599 steps of 8 m: given by FIT and TCX, measured along the positions for GPX.
        expectRounded(res.body.distance_m, 3599 * 8, 3599 * 8 * 0.005);
      },
    );

    it('0 W and 400 W in alternate seconds: average 200 W and NP 200 W (each 30-s window holds 15 of each), IF 0.8, TSS 64', async () => {
      const spec = ride(3600, (i) => ({ power: i % 2 === 0 ? 0 : 400 }), daysBefore(10));
      const res = await upload(fitFile(spec)).expect(201);
      expect(res.body).toMatchObject({
        avg_power: 200,
        max_power: 400,
        normalized_power: 200,
        intensity_factor: 0.8,
        tss: 64,
        time_in_power_zones_s: [1800, 0, 0, 0, 0, 0, 1800],
      });
    });

    it('two hours at half the FTP: IF 0.5, TSS 2 h x 0.5^2 x 100 = 50', async () => {
      const res = await upload(fitFile(ride(7200, () => ({ power: FTP / 2 }), daysBefore(11)))).expect(201);
      expect(res.body).toMatchObject({ moving_s: 7200, normalized_power: 125, intensity_factor: 0.5, tss: 50 });
    });

    it('a 10-minute stop leaves the moving time (and TSS) at one hour: 30 min + 10 min stopped + 30 min at FTP', async () => {
      const spec = ride(4200, () => ({ power: FTP }), daysBefore(12));
      spec.samples = spec.samples.filter((s) => s.t < 1800 || s.t >= 2400);
      const res = await upload(Buffer.from(tcxFile(spec)), 'stop.tcx').expect(201);
      expect(res.body).toMatchObject({ elapsed_s: 4199, moving_s: 3600, normalized_power: FTP, tss: 100 });
    });

    it('without power, heart rate scores it: one hour at 120 bpm of a 160-bpm threshold is (0.75)^2 x 100 = 56.25 -> 56.3', async () => {
      const spec = ride(3600, () => ({ power: null, heartRate: 120 }), daysBefore(13));
      const res = await upload(Buffer.from(gpxFile(spec)), 'hr.gpx').expect(201);
      expect(res.body).toMatchObject({
        avg_power: null,
        normalized_power: null,
        time_in_power_zones_s: null,
        avg_hr: 120,
        tss_method: 'heart_rate',
        intensity_factor: 0.75,
        tss: 56.3,
      });
    });

    it('a 4-hour 1-Hz FIT ride (14,400 records): averages, NP, IF, TSS and zones as computed from the samples', async () => {
      const spec = fourHourRide();
      const power = spec.samples.map((s) => s.power as number);
      const heartRate = spec.samples.map((s) => s.heartRate as number);
      const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;
      const np = referenceNp(power);
      const intensity = np / FTP;
      // Coggan's zone boundaries for FTP 250: 55/75/90/105/120/150 %, rounded half up.
      const bounds = [138, 188, 225, 263, 300, 375];
      const zones = [0, 0, 0, 0, 0, 0, 0];
      for (const watts of power) {
        zones[bounds.filter((b) => watts >= b).length]++;
      }

      const file = fitFile(spec);
      const res = await upload(file, 'four-hours.fit').expect(201);
      expect(res.body).toMatchObject({
        source: 'fit',
        start_time: FIXTURE_START.toISOString(),
        moving_s: 14_400,
        elapsed_s: 14_399,
        max_power: Math.max(...power),
        max_hr: Math.max(...heartRate),
        ftp_used: FTP,
        time_in_power_zones_s: zones,
      });
      expect(np).toBeGreaterThan(mean(power) + 5); // the intervals make NP clearly above the average
      expectRounded(res.body.avg_power, mean(power), 0.05);
      expectRounded(res.body.normalized_power, np, 0.05);
      expectRounded(res.body.intensity_factor, intensity, 0.0005);
      expectRounded(res.body.tss, 4 * intensity * intensity * 100, 0.05);
      expectRounded(res.body.avg_hr, mean(heartRate), 0.05);

      const streams = await t.http.get(`/activities/${res.body.id}/streams`).set(rider.auth).expect(200);
      expect(streams.body.time).toHaveLength(14_400);
      expect(streams.body.time[14_399]).toBe(14_399);
      expect(streams.body.power).toEqual(power);
      expect(streams.body.heart_rate).toEqual(heartRate);
      expect(streams.body.cadence).toEqual(spec.samples.map((s) => s.cadence));
    });
  });

  describe('bad files: a 4xx saying what is wrong, nothing stored, the server fine after', () => {
    /** A one-minute ride whose 21st sample carries `values`. */
    const spike = (values: Partial<ActivitySample>): ActivitySpec => ride(60, (i) => (i === 20 ? values : {}));
    const built: { file: string; content: Buffer; status: 413 | 422; msg: RegExp }[] = [
      {
        file: 'heart rate 400 bpm (GPX)',
        content: Buffer.from(gpxFile(spike({ heartRate: 400 }))),
        status: 422,
        msg: /^Absurd value at trackpoint 21 .*heart_rate 400 bpm is outside 25-250 bpm/,
      },
      {
        file: 'power 65,535 W (gzip-compressed GPX)',
        content: gzip(gpxFile(spike({ power: 65535 }))),
        status: 422,
        msg: /^Absurd value at trackpoint 21 .*power 65535 W is outside 0-2500 W/,
      },
      {
        file: 'time going backwards (FIT)',
        content: fitFile(ride(60, (i) => ({ t: i === 30 ? 10 : i }))),
        status: 422,
        msg: /^Time goes backwards at record 31/,
      },
    ];
    const cases = [...BROKEN_ACTIVITY_FIXTURES.map((f) => ({ ...f, content: activityFixture(f.file) })), ...built];

    it.each(cases)('$file: $status', async ({ file, content, status, msg }) => {
      const before = await activityRowCounts(t.db);
      const res = await upload(content, file);
      expect(res.status).toBe(status);
      if (status === 413) {
        expect(res.body).toEqual({ detail: expect.stringMatching(msg), code: 'file_too_large' });
      } else {
        expect(res.body).toEqual({
          code: 'validation_failed',
          detail: [{ loc: ['body', 'file'], msg: expect.stringMatching(msg), type: 'activity_file' }],
        });
      }
      expect(await activityRowCounts(t.db)).toEqual(before);
    });

    it('is still healthy and still takes a good file after all of them', async () => {
      expect((await t.http.get('/healthz').expect(200)).body.status).toBe('healthy');
      const before = await activityRowCounts(t.db);
      await upload(fitFile(ride(600, () => ({}), daysBefore(20)))).expect(201);
      expect(await activityRowCounts(t.db)).toEqual({
        activities: before.activities + 1,
        activity_streams: before.activity_streams + 1,
      });
    });
  });
});
