import { ActivityFileError, type DecodedActivity, type Sport } from './activity-file';
import { StreamBuilder } from './stream-builder';
import { TrackDistance } from './track-distance';
import { readXml, toNumber, toTime } from './xml-reader';

/** The text of one track point's fields, by element name; `lat`/`lon` from its attributes. */
type Fields = Partial<Record<string, string>>;
/** Garmin TrackPointExtension (hr, cad, speed), Cluetrust gpxdata (hr, cadence), `<power>`, PowerInWatts. */
const FIELDS = new Set(['ele', 'time', 'hr', 'cad', 'cadence', 'speed', 'power', 'PowerInWatts']);

/**
 * A GPX 1.1 track: every timed point of every segment of every track, heart rate and cadence from
 * Garmin's TrackPointExtension (`gpxtpx:hr`, `gpxtpx:cad`), power from `<power>` (Strava, Wahoo) or
 * Garmin's `PowerInExtension`. GPX has no distance: it is measured along the positions.
 */
export function decodeGpx(xml: string): DecodedActivity {
  const samples = new StreamBuilder('trackpoint');
  const distance = new TrackDistance();
  let tracks = 0;
  let points = 0;
  let trackName: string | undefined;
  let metadataName: string | undefined;
  let type: string | undefined;
  let point: Fields | null = null;
  readXml(xml, 'GPX', 'gpx', {
    open: (name, _parents, attributes) => {
      if (name === 'trk') {
        tracks++;
      } else if (name === 'trkpt') {
        point = { lat: attributes.lat, lon: attributes.lon };
        points++;
      }
    },
    close: (name, parents, text) => {
      const parent = parents[parents.length - 1];
      if (point === null) {
        if (name === 'name' && parent === 'trk' && tracks === 1) {
          trackName = text;
        } else if (name === 'name' && parent === 'metadata') {
          metadataName = text;
        } else if (name === 'type' && parent === 'trk' && tracks === 1) {
          type = text;
        }
      } else if (name === 'trkpt') {
        addPoint(point, points, samples, distance);
        point = null;
      } else if (FIELDS.has(name)) {
        point[name] = text;
      }
    },
  });
  if (samples.length === 0) {
    throw new ActivityFileError(
      422,
      points === 0
        ? 'The GPX file has no samples: no <trkpt> in any <trk>'
        : `The GPX file has no timestamps: none of its ${points} track points has a <time>`,
    );
  }
  const { startTime, streams } = samples.build();
  const name = (trackName ?? metadataName)?.trim().slice(0, 200) || null;
  return { source: 'gpx', sport: gpxSport(type), startTime, name, streams };
}

function addPoint(point: Fields, index: number, samples: StreamBuilder, distance: TrackDistance): void {
  if (point.time === undefined) {
    return;
  }
  const where = (): string => `trackpoint ${index}`;
  const value = (field: string): number | undefined => toNumber(point[field], field, where);
  samples.add(toTime(point.time, where), {
    distance: distance.add(value('lat'), value('lon'), where),
    altitude: value('ele'),
    heart_rate: value('hr'),
    cadence: value('cad') ?? value('cadence'),
    speed: value('speed'),
    power: value('power') ?? value('PowerInWatts'),
  });
}

/**
 * `<type>` is free text: Strava writes `cycling`/`running` (older exports `1`/`9`), Garmin `road_biking`,
 * Zwift `VirtualRide`. A track without one counts as a ride, this being a cycling coach.
 */
function gpxSport(raw: string | undefined): Sport {
  const type = raw
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
