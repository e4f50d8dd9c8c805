/**
 * Writes the committed sample files of test/fixtures/activities from the builders in activity-files.ts:
 * `npm run build && npx tsc -p tsconfig.bench.json && node dist/test/helpers/write-activity-fixtures.js`. Re-running it rewrites the same
 * content (fixed start time); what each file must give is in GOOD_/BROKEN_ACTIVITY_FIXTURES.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  ACTIVITY_FIXTURES_DIR,
  BILLION_LAUGHS_TCX,
  XXE_GPX,
  fitFile,
  fixtureRide,
  gpxFile,
  gzip,
  gzipBomb,
  ride,
  tcxFile,
  truncated,
  withBadCrc,
  type ActivitySample,
  type ActivitySpec,
} from './activity-files';

function everyTwoSecondsForTenMinutes(spec: ActivitySpec): ActivitySpec {
  return { ...spec, samples: spec.samples.filter((s) => s.t <= 600 && s.t % 2 === 0) };
}

function spike(values: Partial<ActivitySample>): ActivitySpec {
  return ride(60, (i) => (i === 20 ? values : {}));
}

const full = fixtureRide();
const short = everyTwoSecondsForTenMinutes(full);
const fit = fitFile(full);
const files: Record<string, Buffer | string> = {
  'ride.fit': fit,
  'ride.fit.gz': gzip(fit),
  'ride.tcx': tcxFile(short),
  'ride.gpx': gpxFile({ ...short, name: 'Lanterne Rouge test ride' }),
  'not-an-activity.pdf':
    '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n',
  'route.kml':
    '<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2"><Document><name>Route</name></Document></kml>\n',
  'bad-crc.fit': withBadCrc(fit),
  'truncated.fit': truncated(fit),
  'xxe.gpx': XXE_GPX,
  'billion-laughs.tcx': BILLION_LAUGHS_TCX,
  'bomb.gpx.gz': gzipBomb(),
  'truncated.tcx.gz': gzip(tcxFile(short)).subarray(0, 2000),
  'no-timestamps.tcx': tcxFile(ride(60)).replace(/<Time>[^<]*<\/Time>/g, ''),
  'no-samples.gpx': gpxFile({ ...ride(0), name: 'Empty track' }),
  'backwards.gpx': gpxFile(ride(60, (i) => ({ t: i === 30 ? 10 : i }))),
  'absurd-power.tcx': tcxFile(spike({ power: 65535 })),
  'absurd-heart-rate.fit': fitFile(spike({ heartRate: 0 })),
  'invalid-power.fit': fitFile(spike({ power: 65535 })),
  'malformed.tcx': tcxFile(ride(60)).slice(0, 3000),
};

mkdirSync(ACTIVITY_FIXTURES_DIR, { recursive: true });
for (const [name, content] of Object.entries(files)) {
  writeFileSync(
    path.join(ACTIVITY_FIXTURES_DIR, name),
    typeof content === 'string' ? Buffer.from(content, 'latin1') : content,
  );
}
console.log(`wrote ${Object.keys(files).length} files to ${ACTIVITY_FIXTURES_DIR}`);
