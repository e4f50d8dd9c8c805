import {
  BILLION_LAUGHS_TCX,
  BROKEN_ACTIVITY_FIXTURES,
  GOOD_ACTIVITY_FIXTURES,
  activityFixture,
  XXE_GPX,
  fitFile,
  fuzzedFits,
  gpxFile,
  gzip,
  gzipBomb,
  ride,
  tcxFile,
  truncated,
  withBadCrc,
  type ActivitySpec,
} from '../helpers/activity-files';
import { zonesOfHistogram } from '../../src/sport-science';
import { decodeStreams } from '../../src/activities/streams-codec';
import { ActivityFileError, type ParsedActivity } from '../../src/activities/files/activity-file';
import { ActivityFileWorkers } from '../../src/activities/files/activity-file-workers';
import {
  closeActivityFileWorkers,
  parseActivityFile,
  parseActivitySamples,
} from '../../src/activities/files/parse-activity-file';

const LIMIT = 25 * 1024 * 1024;

/** Twenty minutes at 250 W, 140 bpm, 90 rpm, 8 m/s. */
const TWENTY_MINUTES = ride(1200, () => ({ power: 250 }));

function bytes(file: Buffer | string): Buffer {
  return typeof file === 'string' ? Buffer.from(file) : file;
}

async function refusal(file: Buffer | string, limit = LIMIT): Promise<ActivityFileError> {
  const outcome: unknown = await parseActivityFile(bytes(file), limit).then(
    () => new Error('the file was accepted'),
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(ActivityFileError);
  return outcome as ActivityFileError;
}

async function expectRefused(file: Buffer | string, status: 413 | 422, msg: RegExp, limit = LIMIT): Promise<void> {
  const error = await refusal(file, limit);
  expect({ status: error.status, message: error.message }).toEqual({ status, message: expect.stringMatching(msg) });
}

afterAll(() => closeActivityFileWorkers());

/** The streams as the upload stores them (compressed in the worker). */
const streamsOf = (activity: ParsedActivity) => decodeStreams(Buffer.from(activity.encodedStreams));

describe('parseActivityFile: files it reads', () => {
  const formats: [string, (spec: ActivitySpec) => Buffer | string][] = [
    ['fit', fitFile],
    ['tcx', tcxFile],
    ['gpx', gpxFile],
  ];

  it.each(formats)('reads a %s ride with power, heart rate and cadence, and summarises it', async (source, write) => {
    const activity = await parseActivityFile(bytes(write(TWENTY_MINUTES)), LIMIT);
    expect(activity.source).toBe(source);
    expect(activity.sport).toBe('ride');
    expect(activity.startTime.toISOString()).toBe('2026-11-01T07:00:00.000Z');
    const streams = await streamsOf(activity);
    expect(streams.time).toHaveLength(1200);
    expect(streams.time[0]).toBe(0);
    expect(streams.time[1199]).toBe(1199);
    expect(streams.power?.[600]).toBe(250);
    expect(streams.heart_rate?.[600]).toBe(140);
    expect(streams.cadence?.[600]).toBe(90);
    // 250 W is zone 4 of FTP 250 (225-262 W) and zone 5 of FTP 230 (242-275 W), every second.
    expect(zonesOfHistogram(activity.powerHistogram as Uint32Array, 250)).toEqual([0, 0, 0, 1200, 0, 0, 0]);
    expect(zonesOfHistogram(activity.powerHistogram as Uint32Array, 230)).toEqual([0, 0, 0, 0, 1200, 0, 0]);
    expect(activity.summary).toMatchObject({
      elapsed_s: 1199,
      moving_s: 1200,
      avg_power: 250,
      max_power: 250,
      avg_hr: 140,
      max_hr: 140,
      avg_cadence: 90,
    });
    expect(activity.summary.normalized_power).toBeCloseTo(250, 6);
    // 1199 steps of 8 m: given by FIT and TCX, measured along the positions for GPX.
    expect(activity.summary.distance_m).toBeGreaterThan(9592 * 0.995);
    expect(activity.summary.distance_m).toBeLessThan(9592 * 1.005);
    expect(activity.summary.elevation_gain_m).toBeGreaterThan(0);
  });

  it.each(formats)('reads a gzip-compressed %s file the same way', async (source, write) => {
    const activity = await parseActivityFile(gzip(bytes(write(TWENTY_MINUTES))), LIMIT);
    expect(activity.source).toBe(source);
    expect(activity.summary.moving_s).toBe(1200);
  });

  it('maps sports: virtual rides and runs from FIT, runs from TCX, VirtualRide from GPX', async () => {
    const short = (sport: ActivitySpec['sport']): ActivitySpec => ride(60, () => ({}), undefined, sport);
    expect((await parseActivityFile(fitFile(short('virtual_ride')), LIMIT)).sport).toBe('virtual_ride');
    expect((await parseActivityFile(fitFile(short('run')), LIMIT)).sport).toBe('run');
    expect((await parseActivityFile(bytes(tcxFile(short('run'))), LIMIT)).sport).toBe('run');
    expect((await parseActivityFile(bytes(gpxFile(short('virtual_ride'))), LIMIT)).sport).toBe('virtual_ride');
    expect((await parseActivityFile(bytes(gpxFile(short('other'))), LIMIT)).sport).toBe('other');
  });

  it('leaves out channels a file lacks and counts a pause as no time', async () => {
    const spec = ride(120, (i) => ({ power: null, cadence: null, t: i < 60 ? i : i + 300 }));
    const activity = await parseActivityFile(fitFile(spec), LIMIT);
    const streams = await streamsOf(activity);
    expect(streams.power).toBeNull();
    expect(streams.cadence).toBeNull();
    expect(activity.powerHistogram).toBeNull();
    expect(activity.summary).toMatchObject({ elapsed_s: 419, moving_s: 120, avg_power: null, normalized_power: null });
  });

  it('takes the GPX name and power from Garmin PowerInExtension', async () => {
    const gpx = gpxFile({ ...ride(40), name: 'Col du Galibier' }).replace(
      /<power>(\d+)<\/power>/g,
      '<pwr:PowerInExtension xmlns:pwr="http://www.garmin.com/xmlschemas/PowerExtension/v1"><pwr:PowerInWatts>$1</pwr:PowerInWatts></pwr:PowerInExtension>',
    );
    const activity = await parseActivityFile(bytes(gpx), LIMIT);
    expect(activity.name).toBe('Col du Galibier');
    expect(activity.summary.avg_power).toBe(200);
  });

  it('reads TCX power under any namespace prefix and skips trackpoints without a time', async () => {
    const tcx = tcxFile(ride(40))
      .replace(/ns3:/g, 'ax:')
      .replace('xmlns:ns3=', 'xmlns:ax=')
      .replace('<Trackpoint><Time>2026-11-01T07:00:39.000Z</Time>', '<Trackpoint>');
    const activity = await parseActivityFile(bytes(tcx), LIMIT);
    expect((await streamsOf(activity)).time).toHaveLength(39);
    expect(activity.summary.avg_power).toBe(200);
  });

  it('reads many files at once, each with its own answer', async () => {
    const rides = [100, 150, 200, 250, 300].map((watts) => fitFile(ride(90, () => ({ power: watts }))));
    const activities = await Promise.all(rides.map((file) => parseActivityFile(file, LIMIT)));
    expect(activities.map((a) => a.summary.avg_power)).toEqual([100, 150, 200, 250, 300]);
  });
});

describe('parseActivityFile: files it refuses, saying why', () => {
  const fit = fitFile(TWENTY_MINUTES);

  it('refuses what is not an activity file', async () => {
    await expectRefused('%PDF-1.7\n%âãÏÓ\n1 0 obj', 422, /^Not an activity file: expected FIT, TCX or GPX/);
    await expectRefused('{"type": "FeatureCollection"}', 422, /^Not an activity file/);
    await expectRefused('<?xml version="1.0"?><kml><Document/></kml>', 422, /XML with root <kml>/);
    await expectRefused('', 422, /^The file is empty$/);
    await expectRefused(gzip(''), 422, /^The file is empty$/);
  });

  it('refuses a FIT file whose CRC does not match', async () => {
    await expectRefused(withBadCrc(fit), 422, /^The FIT file is corrupt: its CRC does not match/);
  });

  it('refuses a truncated FIT file', async () => {
    await expectRefused(
      truncated(fit),
      422,
      /^The FIT file is truncated: its header announces \d+ bytes, only \d+ arrived/,
    );
    await expectRefused(truncated(fit, 13), 422, /^The FIT file is truncated|^Not a FIT file/);
  });

  it('refuses XML with an external entity (XXE) or an entity-expansion bomb before parsing it', async () => {
    await expectRefused(XXE_GPX, 422, /<!DOCTYPE> declaration is refused/);
    await expectRefused(BILLION_LAUGHS_TCX, 422, /<!DOCTYPE> declaration is refused.*entity-expansion/);
    await expectRefused(gzip(XXE_GPX), 422, /<!DOCTYPE> declaration is refused/);
  });

  it('refuses a gzip that inflates past the limit (413), and a corrupt or truncated gzip (422)', async () => {
    const bomb = gzipBomb();
    expect(bomb.length).toBeLessThan(100 * 1024);
    await expectRefused(bomb, 413, /inflates past the 26214400-byte limit/);
    const packed = gzip(fit);
    expect(packed.length).toBeLessThan(fit.length / 2);
    await expectRefused(packed, 413, new RegExp(`inflates past the ${packed.length}-byte limit`), packed.length);
    const broken = gzip(fit);
    broken[Math.floor(broken.length / 2)] ^= 0xff;
    await expectRefused(broken, 422, /^The gzip cannot be decompressed/);
    await expectRefused(gzip(fit).subarray(0, 200), 422, /^The gzip cannot be decompressed: it is truncated/);
    await expectRefused(gzip(gzip(fit)), 422, /gzip inside a gzip/);
  });

  it('refuses a file over the limit as sent (413)', async () => {
    await expectRefused(fit, 413, /larger than the 1000-byte limit/, 1000);
  });

  it('refuses files without timestamps or without samples', async () => {
    await expectRefused(
      tcxFile(TWENTY_MINUTES).replace(/<Time>[^<]*<\/Time>/g, ''),
      422,
      /^The TCX file has no timestamps: none of its 1200 trackpoints/,
    );
    await expectRefused(
      gpxFile(TWENTY_MINUTES).replace(/<time>[^<]*<\/time>/g, ''),
      422,
      /^The GPX file has no timestamps/,
    );
    await expectRefused(gpxFile({ ...TWENTY_MINUTES, samples: [] }), 422, /^The GPX file has no samples/);
    await expectRefused(tcxFile({ ...TWENTY_MINUTES, samples: [] }), 422, /^The TCX file has no samples/);
    await expectRefused(
      fitFile({ ...TWENTY_MINUTES, samples: [] }),
      422,
      /^The FIT file has no samples: no record messages/,
    );
  });

  it('refuses samples going back in time, naming the sample', async () => {
    const backwards = ride(60, (i) => ({ t: i === 30 ? 10 : i }));
    await expectRefused(
      gpxFile(backwards),
      422,
      /^Time goes backwards at trackpoint 31: 2026-11-01T07:00:10.000Z comes after 2026-11-01T07:00:29.000Z/,
    );
    await expectRefused(fitFile(backwards), 422, /^Time goes backwards at record 31/);
    await expectRefused(tcxFile(backwards), 422, /^Time goes backwards at trackpoint 31/);
  });

  it('refuses absurd values, naming the value, the sample and the accepted range', async () => {
    const spike = (values: Partial<ActivitySpec['samples'][number]>): ActivitySpec =>
      ride(60, (i) => (i === 20 ? values : {}));
    await expectRefused(
      tcxFile(spike({ power: 65535 })),
      422,
      /^Absurd value at trackpoint 21 \(2026-11-01T07:00:20.000Z\): power 65535 W is outside 0-2500 W$/,
    );
    await expectRefused(gpxFile(spike({ heartRate: 400 })), 422, /heart_rate 400 bpm is outside 25-250 bpm/);
    await expectRefused(
      fitFile(spike({ heartRate: 0 })),
      422,
      /^Absurd value at record 21 .*heart_rate 0 bpm is outside 25-250 bpm/,
    );
    await expectRefused(fitFile(spike({ power: 3000 })), 422, /power 3000 W is outside 0-2500 W/);
    await expectRefused(fitFile(spike({ cadence: 254 })), 422, /cadence 254 rpm is outside 0-250 rpm/);
    await expectRefused(tcxFile(spike({ power: -5 })), 422, /power -5 W is outside/);
  });

  it("refuses FIT's invalid markers (power 65535, heart rate 255) as absurd readings", async () => {
    const marker = (values: Partial<ActivitySpec['samples'][number]>): ActivitySpec =>
      ride(60, (i) => (i === 20 ? values : {}));
    await expectRefused(
      fitFile(marker({ power: 65535 })),
      422,
      /^Absurd value at record 21 .*: power is 65535, FIT's "invalid" marker/,
    );
    await expectRefused(fitFile(marker({ heartRate: 255 })), 422, /heart_rate is 255, FIT's "invalid" marker/);
  });

  it('refuses malformed XML and values that are not numbers', async () => {
    const tcx = tcxFile(TWENTY_MINUTES);
    await expectRefused(
      tcx.slice(0, tcx.length / 2),
      422,
      /^The TCX file is not well-formed XML \(line \d+, column \d+\)/,
    );
    await expectRefused(
      tcx.replace('<ns3:Watts>250</ns3:Watts>', '<ns3:Watts>lots</ns3:Watts>'),
      422,
      /^trackpoint 1: Watts "lots" is not a number/,
    );
    await expectRefused(
      gpxFile(TWENTY_MINUTES).replace('2026-11-01T07:00:05.000Z', 'yesterday'),
      422,
      /^trackpoint 6: time "yesterday" is not an ISO 8601 date/,
    );
    await expectRefused(
      gpxFile(TWENTY_MINUTES).replace('lat="45"', 'lat="145"'),
      422,
      /position 145, 6 is not on Earth/,
    );
  });

  it('refuses XML nested absurdly deep, and reads element names that look like prototype keys as plain names', async () => {
    await expectRefused(
      `<gpx>${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}</gpx>`,
      422,
      /nests elements more than 64 levels deep/,
    );
    const sneaky = gpxFile(ride(40)).replace('<trkseg>', '<trkseg><__proto__><polluted>yes</polluted></__proto__>');
    expect((await parseActivityFile(bytes(sneaky), LIMIT)).summary.moving_s).toBe(40);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('answers every damaged FIT (random bytes, valid CRC) with a summary or an ActivityFileError', async () => {
    const outcomes = await Promise.all(
      fuzzedFits(fitFile(ride(300)), 60).map((file) =>
        parseActivityFile(file, LIMIT).then(
          () => 'read',
          (error: unknown) => (error instanceof ActivityFileError ? `refused ${error.status}` : String(error)),
        ),
      ),
    );
    expect(new Set(outcomes)).toEqual(new Set(['read', 'refused 422']));
  });

  it('stays healthy after hostile files: the next good file is read', async () => {
    await Promise.all(
      [withBadCrc(fit), bytes(BILLION_LAUGHS_TCX), gzipBomb(), truncated(fit)].map((file) => refusal(file)),
    );
    expect((await parseActivityFile(fit, LIMIT)).summary.moving_s).toBe(1200);
  });
});

describe('parseActivityFile: the committed fixtures', () => {
  it.each(GOOD_ACTIVITY_FIXTURES.map((f) => [f.file, f] as const))('reads %s', async (file, expected) => {
    const activity = await parseActivityFile(activityFixture(file), LIMIT);
    expect(activity.source).toBe(expected.source);
    expect(activity.sport).toBe('ride');
    expect(activity.name).toBe(expected.name);
    expect(activity.summary.moving_s).toBe(expected.moving_s);
    // Five-minute blocks at 200 and 300 W: NP near ((200^4 + 300^4) / 2)^(1/4) = 263.1.
    expect(activity.summary.normalized_power).toBeCloseTo(expected.normalized_power, 1);
    expect(activity.summary.avg_power).toBeCloseTo(expected.avg_power, 1);
    expect(activity.summary.distance_m).toBeCloseTo(expected.distance_m, 0);
  });

  it.each(BROKEN_ACTIVITY_FIXTURES.map((f) => [f.file, f] as const))('refuses %s', async (file, expected) => {
    await expectRefused(activityFixture(file), expected.status, expected.msg);
  });
});

describe('parseActivitySamples: samples recorded elsewhere (Strava streams) through the same checks and summary', () => {
  const start = new Date('2026-11-01T07:00:00.000Z');
  const seconds = (n: number, step = 1): number[] => Array.from({ length: n }, (_, i) => i * step);

  it('summarises them exactly as the same samples read from a file', async () => {
    const fromFile = await parseActivityFile(fitFile(TWENTY_MINUTES), LIMIT);
    const fileStreams = await streamsOf(fromFile);
    const { time, ...channels } = fileStreams;
    const samples = await parseActivitySamples({
      source: 'strava',
      sport: 'ride',
      startTime: start,
      name: 'From Strava',
      time,
      channels: Object.fromEntries(Object.entries(channels).filter(([, values]) => values !== null)),
    });
    expect(samples.source).toBe('strava');
    expect(samples.startTime.toISOString()).toBe(start.toISOString());
    expect(samples.summary).toEqual(fromFile.summary);
    expect(Array.from(samples.powerHistogram as Uint32Array)).toEqual(
      Array.from(fromFile.powerHistogram as Uint32Array),
    );
    expect(await streamsOf(samples)).toEqual(fileStreams);
  });

  it('holds short gaps and leaves pauses out, with channels absent as null', async () => {
    // Smart recording: a sample every 2 s for 10 minutes, then a 5-minute stop, then 5 minutes more.
    const time = [...seconds(300, 2), ...seconds(150, 2).map((t) => t + 900)];
    const activity = await parseActivitySamples({
      source: 'strava',
      sport: 'ride',
      startTime: start,
      name: null,
      time,
      channels: { power: time.map(() => 200) },
    });
    expect(activity.summary).toMatchObject({ elapsed_s: 1198, avg_power: 200, avg_hr: null, distance_m: null });
    // Grid seconds 0-598 (599, the 1-s gaps held) and 900-1198 (299); the 302-s stop is no time.
    expect(activity.summary.moving_s).toBe(898);
    expect((await streamsOf(activity)).heart_rate).toBeNull();
  });

  it('refuses what a file would be refused for: absurd values, time going backwards, uneven streams', async () => {
    const base = { source: 'strava' as const, sport: 'ride' as const, startTime: start, name: null };
    const refusedWith = (promise: Promise<unknown>) =>
      promise.then(
        () => 'accepted',
        (error: unknown) => (error instanceof ActivityFileError ? `${error.status} ${error.message}` : String(error)),
      );
    expect(
      await refusedWith(parseActivitySamples({ ...base, time: [0, 1, 2], channels: { power: [100, 9000, 100] } })),
    ).toMatch(/^422 Absurd value at sample 2 .*power 9000 W/);
    expect(await refusedWith(parseActivitySamples({ ...base, time: [0, 2, 1], channels: {} }))).toMatch(
      /^422 Time goes backwards at sample 3/,
    );
    expect(
      await refusedWith(parseActivitySamples({ ...base, time: [0, 1, 2], channels: { heart_rate: [120, 121] } })),
    ).toMatch(/^422 The heart_rate stream has 2 samples for 3 times/);
    expect(await refusedWith(parseActivitySamples({ ...base, time: [], channels: {} }))).toMatch(/^422 .*no samples/);
  });
});

describe('ActivityFileWorkers: threads only while there are files', () => {
  it('starts a worker with the first file, stops it once idle past its timeout, and boots another for the next file', async () => {
    const pool = new ActivityFileWorkers(1, 200);
    try {
      expect(pool.threads).toBe(0);
      const first = await pool.run(bytes(fitFile(TWENTY_MINUTES)), LIMIT);
      expect(first.summary.moving_s).toBeGreaterThan(0);
      expect(pool.threads).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(pool.threads).toBe(0);
      const again = await pool.run(bytes(fitFile(TWENTY_MINUTES)), LIMIT);
      expect(again.summary).toEqual(first.summary);
    } finally {
      await pool.close();
    }
  });
});
