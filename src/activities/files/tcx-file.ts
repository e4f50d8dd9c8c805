import { ActivityFileError, type DecodedActivity, type Sport } from './activity-file';
import { StreamBuilder } from './stream-builder';
import { TrackDistance } from './track-distance';
import { readXml, toNumber, toTime } from './xml-reader';

/** The text of one trackpoint's fields, by element name (HeartRateBpm's `Value` read as `HeartRate`). */
type Fields = Partial<Record<string, string>>;
const FIELDS = new Set([
  'Time',
  'LatitudeDegrees',
  'LongitudeDegrees',
  'AltitudeMeters',
  'DistanceMeters',
  'Cadence',
  'Watts',
  'Speed',
  'RunCadence',
]);

/**
 * A Garmin Training Center (TCX) activity: the first Activity's trackpoints, with power, speed and run
 * cadence from the ActivityExtension v2 `TPX` element (`ns3:TPX`, any prefix). Trackpoints without a
 * time are skipped.
 */
export function decodeTcx(xml: string): DecodedActivity {
  const samples = new StreamBuilder('trackpoint');
  const track = new TrackDistance();
  let activities = 0;
  let sport: string | undefined;
  let trackpoints = 0;
  let point: Fields | null = null;
  readXml(xml, 'TCX', 'TrainingCenterDatabase', {
    open: (name, _parents, attributes) => {
      if (name === 'Activity' && ++activities === 1) {
        sport = attributes.Sport;
      } else if (name === 'Trackpoint' && activities === 1) {
        point = {};
        trackpoints++;
      }
    },
    close: (name, parents, text) => {
      if (point === null) {
        return;
      }
      if (name === 'Trackpoint') {
        addTrackpoint(point, trackpoints, samples, track);
        point = null;
      } else if (name === 'Value' && parents[parents.length - 1] === 'HeartRateBpm') {
        point.HeartRate = text;
      } else if (FIELDS.has(name)) {
        point[name] = text;
      }
    },
  });
  if (activities === 0) {
    throw new ActivityFileError(422, 'The TCX file has no samples: it holds no <Activity>');
  }
  if (samples.length === 0) {
    throw new ActivityFileError(
      422,
      trackpoints === 0
        ? 'The TCX file has no samples: no <Trackpoint>'
        : `The TCX file has no timestamps: none of its ${trackpoints} trackpoints has a <Time>`,
    );
  }
  const { startTime, streams } = samples.build();
  return { source: 'tcx', sport: tcxSport(sport), startTime, name: null, streams };
}

function addTrackpoint(point: Fields, index: number, samples: StreamBuilder, track: TrackDistance): void {
  if (point.Time === undefined) {
    return;
  }
  const where = (): string => `trackpoint ${index}`;
  const value = (field: string): number | undefined => toNumber(point[field], field, where);
  const gpsDistance = track.add(value('LatitudeDegrees'), value('LongitudeDegrees'), where);
  samples.add(toTime(point.Time, where), {
    power: value('Watts'),
    heart_rate: value('HeartRate'),
    cadence: value('Cadence') ?? value('RunCadence'),
    altitude: value('AltitudeMeters'),
    distance: value('DistanceMeters') ?? gpsDistance,
    speed: value('Speed'),
  });
}

function tcxSport(sport: string | undefined): Sport {
  switch (sport) {
    case 'Biking':
      return 'ride';
    case 'Running':
      return 'run';
    default:
      return 'other';
  }
}
