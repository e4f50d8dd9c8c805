import { ActivityFileError, type DecodedActivity, type Sport } from './activity-file';
import { StreamBuilder } from './stream-builder';
import { TrackDistance } from './track-distance';
import { child, children, number, parseXml, text, time } from './xml-document';

/**
 * A Garmin Training Center (TCX) activity: the first Activity's trackpoints, with power, speed and run
 * cadence from the ActivityExtension v2 `TPX` element (`ns3:TPX`, any prefix).
 */
export function decodeTcx(xml: string): DecodedActivity {
  const document = child(parseXml(xml, 'TCX'), 'TrainingCenterDatabase');
  const activity = children(child(document, 'Activities'), 'Activity')[0];
  if (!activity) {
    throw new ActivityFileError(422, 'The TCX file has no samples: it holds no <Activity>');
  }
  const samples = new StreamBuilder('trackpoint');
  const track = new TrackDistance();
  let trackpoints = 0;
  for (const lap of children(activity, 'Lap')) {
    for (const segment of children(lap, 'Track')) {
      for (const point of children(segment, 'Trackpoint')) {
        trackpoints++;
        const where = (): string => `trackpoint ${trackpoints}`;
        const at = text(point, 'Time');
        if (at === undefined) {
          continue;
        }
        const position = child(point, 'Position');
        const tpx = child(child(point, 'Extensions'), 'TPX');
        const gpsDistance = track.add(
          number(position, 'LatitudeDegrees', where),
          number(position, 'LongitudeDegrees', where),
          where,
        );
        samples.add(time(at, where), {
          power: number(tpx, 'Watts', where),
          heart_rate: number(child(point, 'HeartRateBpm'), 'Value', where),
          cadence: number(point, 'Cadence', where) ?? number(tpx, 'RunCadence', where),
          altitude: number(point, 'AltitudeMeters', where),
          distance: number(point, 'DistanceMeters', where) ?? gpsDistance,
          speed: number(tpx, 'Speed', where),
        });
      }
    }
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
  return { source: 'tcx', sport: tcxSport(text(activity, '@_Sport')), startTime, name: null, streams };
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
