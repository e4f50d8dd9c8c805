import { CrcCalculator, Encoder, Profile } from '@garmin/fitsdk';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { PROJECT_ROOT } from './server-process';

/** One sample of a test activity; `t` is seconds from the start. Absent or null values are not written. */
export interface ActivitySample {
  t: number;
  power?: number | null;
  heartRate?: number | null;
  cadence?: number | null;
  altitude?: number | null;
  distance?: number | null;
  speed?: number | null;
  lat?: number;
  lon?: number;
}

export type TestSport = 'ride' | 'virtual_ride' | 'run' | 'other';

export interface ActivitySpec {
  start: Date;
  sport: TestSport;
  name?: string;
  samples: ActivitySample[];
}

export const FIXTURE_START = new Date('2026-11-01T07:00:00.000Z');

/**
 * A ride sampled at 1 Hz for `seconds`, moving north at 8 m/s; `values(i)` overrides any field of
 * second i. Defaults: 200 W, 140 bpm, 90 rpm, altitude on a gentle wave.
 */
export function ride(
  seconds: number,
  values: (i: number) => Partial<ActivitySample> = () => ({}),
  start = FIXTURE_START,
  sport: TestSport = 'ride',
): ActivitySpec {
  const samples: ActivitySample[] = [];
  for (let i = 0; i < seconds; i++) {
    samples.push({
      t: i,
      power: 200,
      heartRate: 140,
      cadence: 90,
      altitude: 100 + Math.round(10 * Math.sin(i / 60) * 10) / 10,
      distance: i * 8,
      speed: 8,
      lat: 45 + (i * 8) / 111_195,
      lon: 6,
      ...values(i),
    });
  }
  return { start, sport, samples };
}

/** The 4-hour 1-Hz ride of the speed target: varying power (so NP differs from the average), HR, cadence. */
export function fourHourRide(): ActivitySpec {
  return ride(4 * 3600, (i) => ({
    power: 180 + Math.round(60 * Math.sin(i / 45)) + (i % 600 < 60 ? 150 : 0),
    heartRate: 130 + Math.round(15 * Math.sin(i / 300)),
    cadence: 85 + (i % 7),
  }));
}

const FIT_SPORT: Record<TestSport, { sport: string; subSport: string }> = {
  ride: { sport: 'cycling', subSport: 'road' },
  virtual_ride: { sport: 'cycling', subSport: 'virtualActivity' },
  run: { sport: 'running', subSport: 'generic' },
  other: { sport: 'generic', subSport: 'generic' },
};

/**
 * A real FIT activity file written with Garmin's FIT SDK encoder: file_id, start event, one record per
 * sample, stop event, lap, session and activity, like a bike computer writes them.
 */
export function fitFile(spec: ActivitySpec): Buffer {
  const encoder = new Encoder();
  const at = (t: number): Date => new Date(spec.start.getTime() + t * 1000);
  const last = spec.samples.length > 0 ? spec.samples[spec.samples.length - 1].t : 0;
  const end = at(last);
  write(encoder, Profile.MesgNum.FILE_ID, {
    type: 'activity',
    manufacturer: 'development',
    product: 1,
    serialNumber: 1234,
    timeCreated: spec.start,
  });
  write(encoder, Profile.MesgNum.EVENT, { timestamp: spec.start, event: 'timer', eventType: 'start' });
  for (const s of spec.samples) {
    const record: Record<string, unknown> = { timestamp: at(s.t) };
    if (s.power !== undefined && s.power !== null) {
      record.power = s.power;
    }
    if (s.heartRate !== undefined && s.heartRate !== null) {
      record.heartRate = s.heartRate;
    }
    if (s.cadence !== undefined && s.cadence !== null) {
      record.cadence = s.cadence;
    }
    if (s.altitude !== undefined && s.altitude !== null) {
      record.altitude = s.altitude;
    }
    if (s.distance !== undefined && s.distance !== null) {
      record.distance = s.distance;
    }
    if (s.speed !== undefined && s.speed !== null) {
      record.speed = s.speed;
    }
    if (s.lat !== undefined && s.lon !== undefined) {
      record.positionLat = Math.round((s.lat * 2 ** 31) / 180);
      record.positionLong = Math.round((s.lon * 2 ** 31) / 180);
    }
    write(encoder, Profile.MesgNum.RECORD, record);
  }
  write(encoder, Profile.MesgNum.EVENT, { timestamp: end, event: 'timer', eventType: 'stopAll' });
  const totals = { startTime: spec.start, totalElapsedTime: last, totalTimerTime: last, ...FIT_SPORT[spec.sport] };
  write(encoder, Profile.MesgNum.LAP, { timestamp: end, messageIndex: 0, ...totals });
  write(encoder, Profile.MesgNum.SESSION, { timestamp: end, messageIndex: 0, numLaps: 1, ...totals });
  write(encoder, Profile.MesgNum.ACTIVITY, {
    timestamp: end,
    numSessions: 1,
    type: 'manual',
    event: 'activity',
    eventType: 'stop',
    totalTimerTime: last,
  });
  return Buffer.from(encoder.close());
}

const TCX_SPORT: Record<TestSport, string> = { ride: 'Biking', virtual_ride: 'Biking', run: 'Running', other: 'Other' };

/** A TCX (Garmin Training Center v2) with heart rate, cadence, and power and speed in `ns3:TPX`. */
export function tcxFile(spec: ActivitySpec): string {
  const at = (t: number): string => new Date(spec.start.getTime() + t * 1000).toISOString();
  const last = spec.samples.length > 0 ? spec.samples[spec.samples.length - 1].t : 0;
  const points = spec.samples.map((s) => {
    const tpx = [tag('ns3:Speed', s.speed), tag('ns3:Watts', s.power)].join('');
    return [
      '<Trackpoint>',
      `<Time>${at(s.t)}</Time>`,
      s.lat !== undefined && s.lon !== undefined
        ? `<Position><LatitudeDegrees>${s.lat}</LatitudeDegrees><LongitudeDegrees>${s.lon}</LongitudeDegrees></Position>`
        : '',
      tag('AltitudeMeters', s.altitude),
      tag('DistanceMeters', s.distance),
      s.heartRate !== undefined && s.heartRate !== null
        ? `<HeartRateBpm><Value>${s.heartRate}</Value></HeartRateBpm>`
        : '',
      tag('Cadence', s.cadence),
      tpx ? `<Extensions><ns3:TPX>${tpx}</ns3:TPX></Extensions>` : '',
      '</Trackpoint>',
    ].join('');
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"',
    ' xmlns:ns3="http://www.garmin.com/xmlschemas/ActivityExtension/v2"',
    ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">',
    `<Activities><Activity Sport="${TCX_SPORT[spec.sport]}"><Id>${spec.start.toISOString()}</Id>`,
    `<Lap StartTime="${spec.start.toISOString()}"><TotalTimeSeconds>${last}</TotalTimeSeconds>`,
    '<Intensity>Active</Intensity><TriggerMethod>Manual</TriggerMethod>',
    `<Track>\n${points.join('\n')}\n</Track>`,
    '</Lap></Activity></Activities></TrainingCenterDatabase>',
    '',
  ].join('\n');
}

const GPX_TYPE: Record<TestSport, string> = {
  ride: 'cycling',
  virtual_ride: 'VirtualRide',
  run: 'running',
  other: 'swimming',
};

/** A GPX 1.1 track with `<power>` and Garmin's TrackPointExtension (hr, cad) on every point. */
export function gpxFile(spec: ActivitySpec): string {
  const at = (t: number): string => new Date(spec.start.getTime() + t * 1000).toISOString();
  const points = spec.samples.map((s) => {
    const garmin = [tag('gpxtpx:hr', s.heartRate), tag('gpxtpx:cad', s.cadence)].join('');
    const extensions = [
      tag('power', s.power),
      garmin ? `<gpxtpx:TrackPointExtension>${garmin}</gpxtpx:TrackPointExtension>` : '',
    ].join('');
    return [
      `<trkpt lat="${s.lat ?? 45}" lon="${s.lon ?? 6}">`,
      tag('ele', s.altitude),
      `<time>${at(s.t)}</time>`,
      extensions ? `<extensions>${extensions}</extensions>` : '',
      '</trkpt>',
    ].join('');
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<gpx version="1.1" creator="lanterne-rouge tests" xmlns="http://www.topografix.com/GPX/1/1"',
    ' xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">',
    `<metadata><time>${spec.start.toISOString()}</time></metadata>`,
    `<trk><name>${escapeXml(spec.name ?? 'Morning Ride')}</name><type>${GPX_TYPE[spec.sport]}</type><trkseg>`,
    points.join('\n'),
    '</trkseg></trk></gpx>',
    '',
  ].join('\n');
}

export function gzip(content: Buffer | string): Buffer {
  return gzipSync(typeof content === 'string' ? Buffer.from(content) : content);
}

/** The same FIT with one data byte flipped: its CRC no longer matches. */
export function withBadCrc(fit: Buffer): Buffer {
  const copy = Buffer.from(fit);
  copy[copy.length - 10] ^= 0xff;
  return copy;
}

/** The FIT cut off after `keep` bytes, as an interrupted upload or a full disk leaves it. */
export function truncated(fit: Buffer, keep = Math.floor(fit.length / 2)): Buffer {
  return Buffer.from(fit.subarray(0, keep));
}

/**
 * `count` copies of a FIT with 1-8 random bytes of its data overwritten and the CRC recomputed, so the
 * decoder itself meets the damage (a plain flip is caught by the CRC first). Deterministic for a seed.
 */
export function fuzzedFits(fit: Buffer, count: number, seed = 42): Buffer[] {
  let state = seed;
  const random = (): number => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  return Array.from({ length: count }, () => {
    const copy = Buffer.from(fit);
    const changes = 1 + Math.floor(random() * 8);
    for (let i = 0; i < changes; i++) {
      copy[14 + Math.floor(random() * (copy.length - 16))] = Math.floor(random() * 256);
    }
    copy.writeUInt16LE(CrcCalculator.calculateCRC(copy, 0, copy.length - 2), copy.length - 2);
    return copy;
  });
}

/** A gzip that inflates to `bytes` zeros (25 MB + 1 in ~25 kB by default). */
export function gzipBomb(bytes = 25 * 1024 * 1024 + 1): Buffer {
  return gzipSync(Buffer.alloc(bytes), { level: 9 });
}

/** A GPX whose DOCTYPE declares an external entity reading a local file (XXE). */
export const XXE_GPX = [
  '<?xml version="1.0" encoding="UTF-8"?>',
  '<!DOCTYPE gpx [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>',
  '<gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1"><trk><name>&secret;</name><trkseg>',
  '<trkpt lat="45" lon="6"><time>2026-11-01T07:00:00Z</time></trkpt></trkseg></trk></gpx>',
  '',
].join('\n');

/** The "billion laughs" entity-expansion bomb wrapped in a TCX root. */
export const BILLION_LAUGHS_TCX = [
  '<?xml version="1.0"?>',
  '<!DOCTYPE TrainingCenterDatabase [',
  '  <!ENTITY lol "lol">',
  ...Array.from({ length: 9 }, (_, i) => `  <!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`),
  ']>',
  '<TrainingCenterDatabase><Activities><Activity Sport="Biking"><Id>&lol9;</Id></Activity></Activities></TrainingCenterDatabase>',
  '',
].join('\n');

/** Field values as the decoder returns them (type names as strings), which the encoder also takes. */
function write(encoder: Encoder, mesgNum: number, fields: Record<string, unknown>): void {
  encoder.onMesg(mesgNum, fields);
}

function tag(name: string, value: number | null | undefined): string {
  return value === undefined || value === null ? '' : `<${name}>${value}</${name}>`;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The committed sample files, written by write-activity-fixtures.ts (from source or from dist/). */
export const ACTIVITY_FIXTURES_DIR = path.join(PROJECT_ROOT, 'test', 'fixtures', 'activities');

export function activityFixture(name: string): Buffer {
  return readFileSync(path.join(ACTIVITY_FIXTURES_DIR, name));
}

/** The good fixtures and what they hold (see write-activity-fixtures.ts for how each was made). */
export const GOOD_ACTIVITY_FIXTURES = [
  {
    file: 'ride.fit',
    source: 'fit',
    name: null,
    moving_s: 1800,
    avg_power: 250,
    normalized_power: 263.2,
    distance_m: 14392,
  },
  {
    file: 'ride.fit.gz',
    source: 'fit',
    name: null,
    moving_s: 1800,
    avg_power: 250,
    normalized_power: 263.2,
    distance_m: 14392,
  },
  {
    file: 'ride.tcx',
    source: 'tcx',
    name: null,
    moving_s: 601,
    avg_power: 249.9,
    normalized_power: 263.5,
    distance_m: 4800,
  },
  {
    file: 'ride.gpx',
    source: 'gpx',
    name: 'Lanterne Rouge test ride',
    moving_s: 601,
    avg_power: 249.9,
    normalized_power: 263.5,
    distance_m: 4800,
  },
] as const;

/** Every broken fixture with the status and the start of the message it must get. */
export const BROKEN_ACTIVITY_FIXTURES: readonly { file: string; status: 413 | 422; msg: RegExp }[] = [
  { file: 'not-an-activity.pdf', status: 422, msg: /^Not an activity file: expected FIT, TCX or GPX/ },
  { file: 'route.kml', status: 422, msg: /^Not an activity file.*XML with root <kml>/ },
  { file: 'bad-crc.fit', status: 422, msg: /^The FIT file is corrupt: its CRC does not match/ },
  { file: 'truncated.fit', status: 422, msg: /^The FIT file is truncated/ },
  { file: 'xxe.gpx', status: 422, msg: /^XML with a <!DOCTYPE> declaration is refused/ },
  { file: 'billion-laughs.tcx', status: 422, msg: /^XML with a <!DOCTYPE> declaration is refused/ },
  { file: 'bomb.gpx.gz', status: 413, msg: /inflates past the \d+-byte limit once decompressed/ },
  { file: 'truncated.tcx.gz', status: 422, msg: /^The gzip cannot be decompressed: it is truncated/ },
  { file: 'no-timestamps.tcx', status: 422, msg: /^The TCX file has no timestamps/ },
  { file: 'no-samples.gpx', status: 422, msg: /^The GPX file has no samples/ },
  { file: 'backwards.gpx', status: 422, msg: /^Time goes backwards at trackpoint 31/ },
  { file: 'absurd-power.tcx', status: 422, msg: /^Absurd value at trackpoint 21 .*power 65535 W is outside 0-2500 W/ },
  {
    file: 'absurd-heart-rate.fit',
    status: 422,
    msg: /^Absurd value at record 21 .*heart_rate 0 bpm is outside 25-250 bpm/,
  },
  {
    file: 'invalid-power.fit',
    status: 422,
    msg: /^Absurd value at record 21 .*power is 65535, FIT's "invalid" marker/,
  },
  {
    file: 'malformed.tcx',
    status: 422,
    msg: /^The TCX file is not well-formed XML \(line \d+, column \d+\): unclosed tag/,
  },
];

/**
 * The ride of the committed fixtures: 30 min at 1 Hz, 5-minute blocks alternating 200 and 300 W (so NP
 * is clearly above the 250-W average), heart rate following the effort. FIT keeps every second; the
 * TCX and GPX keep its first 10 minutes every 2 s (held gaps), which keeps them small.
 */
export function fixtureRide(): ActivitySpec {
  return ride(1800, (i) => ({
    power: Math.floor(i / 300) % 2 === 0 ? 200 : 300,
    heartRate: Math.floor(i / 300) % 2 === 0 ? 135 : 160,
    cadence: 88,
  }));
}
