import { ActivityFileError, type DecodedActivity, type Sport } from './activity-file';
import { StreamBuilder } from './stream-builder';
import { TrackDistance } from './track-distance';
import { child, children, number, parseXml, text, time, type XmlNode } from './xml-document';

/**
 * A GPX 1.1 track: every timed point of every segment, heart rate and cadence from Garmin's
 * TrackPointExtension (`gpxtpx:hr`, `gpxtpx:cad`), power from `<power>` (Strava, Wahoo) or Garmin's
 * `PowerInExtension`. GPX has no distance: it is measured along the positions.
 */
export function decodeGpx(xml: string): DecodedActivity {
  const gpx = child(parseXml(xml, 'GPX'), 'gpx');
  const tracks = children(gpx, 'trk');
  const samples = new StreamBuilder('trackpoint');
  const distance = new TrackDistance();
  let points = 0;
  for (const track of tracks) {
    for (const segment of children(track, 'trkseg')) {
      for (const point of children(segment, 'trkpt')) {
        points++;
        const where = (): string => `trackpoint ${points}`;
        const at = text(point, 'time');
        if (at === undefined) {
          continue;
        }
        const extensions = child(point, 'extensions');
        const garmin = child(extensions, 'TrackPointExtension');
        samples.add(time(at, where), {
          distance: distance.add(number(point, '@_lat', where), number(point, '@_lon', where), where),
          altitude: number(point, 'ele', where),
          heart_rate: number(garmin, 'hr', where) ?? number(extensions, 'hr', where),
          cadence: number(garmin, 'cad', where) ?? number(extensions, 'cadence', where),
          speed: number(garmin, 'speed', where),
          power:
            number(extensions, 'power', where) ?? number(child(extensions, 'PowerInExtension'), 'PowerInWatts', where),
        });
      }
    }
  }
  if (samples.length === 0) {
    throw new ActivityFileError(
      422,
      points === 0
        ? 'The GPX file has no samples: no <trkpt> in any <trk>'
        : `The GPX file has no timestamps: none of its ${points} track points has a <time>`,
    );
  }
  const { startTime, streams } = samples.build();
  const name = text(tracks[0], 'name') ?? text(child(gpx, 'metadata'), 'name') ?? null;
  return { source: 'gpx', sport: gpxSport(tracks[0]), startTime, name: name?.trim().slice(0, 200) || null, streams };
}

/**
 * `<type>` is free text: Strava writes `cycling`/`running` (older exports `1`/`9`), Garmin `road_biking`,
 * Zwift `VirtualRide`. A track without one counts as a ride, this being a cycling coach.
 */
function gpxSport(track: XmlNode | undefined): Sport {
  const type = text(track, 'type')
    ?.trim()
    .toLowerCase()
    .replace(/[\s_-]/g, '');
  if (type === undefined || type === '') {
    return 'ride';
  }
  if (type.includes('virtual')) {
    return 'virtual_ride';
  }
  if (/cycl|bik|ride|^1$/.test(type)) {
    return 'ride';
  }
  if (/run|^9$/.test(type)) {
    return 'run';
  }
  return 'other';
}
