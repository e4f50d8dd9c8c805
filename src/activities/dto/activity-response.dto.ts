import { ApiProperty } from '@nestjs/swagger';
import { roundTo } from '../../sport-science/rounding';
import {
  ACTIVITY_SOURCES,
  type ActivitySource,
  type ActivitySport,
  type ActivityTssMethod,
  type Activity,
  SPORTS,
  TSS_METHODS,
} from '../activity.entity';

const maybeNumber = (example: number | null, description?: string) =>
  ({ type: 'number', nullable: true, example, ...(description ? { description } : {}) }) as const;

export class ActivityResponseDto {
  @ApiProperty({ format: 'uuid', example: '3f0c9a56-2c1e-4d8e-9f4b-8a1d2b3c4d5e' })
  id!: string;

  @ApiProperty({ type: 'integer', example: 1 })
  user_id!: number;

  @ApiProperty({ example: 'Morning ride' })
  name!: string;

  @ApiProperty({ enum: SPORTS, example: 'ride' })
  sport!: ActivitySport;

  @ApiProperty({ enum: ACTIVITY_SOURCES, example: 'fit' })
  source!: ActivitySource;

  @ApiProperty({ format: 'date-time', example: '2030-01-15T07:30:00.000Z' })
  start_time!: string;

  @ApiProperty({ type: 'string', format: 'date', example: '2030-01-15', description: "The start's date in your zone" })
  local_date!: string;

  @ApiProperty({ type: 'integer', example: 3725 })
  elapsed_s!: number;

  @ApiProperty({ type: 'integer', example: 3600, description: 'Seconds outside pauses (gaps over 10 s)' })
  moving_s!: number;

  @ApiProperty(maybeNumber(32000.5, 'Metres, rounded to 0.1'))
  distance_m!: number | null;

  @ApiProperty(maybeNumber(410.2, 'Metres, rounded to 0.1'))
  elevation_gain_m!: number | null;

  @ApiProperty(maybeNumber(180.4, 'Watts, rounded to 0.1'))
  avg_power!: number | null;

  @ApiProperty(maybeNumber(812, 'Watts, rounded to 0.1'))
  max_power!: number | null;

  @ApiProperty(maybeNumber(201.3, 'Watts, rounded to 0.1'))
  normalized_power!: number | null;

  @ApiProperty(maybeNumber(0.805, 'NP / FTP of the date, rounded to 0.001'))
  intensity_factor!: number | null;

  @ApiProperty(maybeNumber(64.8, 'Rounded to 0.1; null for a power activity while no FTP is set'))
  tss!: number | null;

  @ApiProperty({ enum: TSS_METHODS, example: 'power' })
  tss_method!: ActivityTssMethod;

  @ApiProperty({ type: 'integer', nullable: true, example: 250 })
  ftp_used!: number | null;

  @ApiProperty(maybeNumber(145.2, 'Beats per minute, rounded to 0.1'))
  avg_hr!: number | null;

  @ApiProperty(maybeNumber(178, 'Beats per minute, rounded to 0.1'))
  max_hr!: number | null;

  @ApiProperty(maybeNumber(88.1, 'Revolutions (or steps) per minute, rounded to 0.1'))
  avg_cadence!: number | null;

  @ApiProperty({
    type: 'array',
    items: { type: 'integer' },
    nullable: true,
    minItems: 7,
    maxItems: 7,
    example: [600, 1500, 900, 450, 120, 30, 0],
    description: 'Seconds in each of the 7 power zones of ftp_used; null without power streams or without an FTP',
  })
  time_in_power_zones_s!: number[] | null;

  @ApiProperty({ type: 'string', nullable: true, example: null })
  notes!: string | null;

  @ApiProperty({ format: 'date-time', example: '2030-01-15T09:00:00.000Z' })
  created_at!: string;

  @ApiProperty({ format: 'date-time', example: '2030-01-15T09:00:00.000Z' })
  updated_at!: string;
}

const tenth = (value: number | null): number | null => (value === null ? null : roundTo(value, 1));

export function toActivityResponse(activity: Activity): ActivityResponseDto {
  return {
    id: activity.id,
    user_id: activity.userId,
    name: activity.name,
    sport: activity.sport,
    source: activity.source,
    start_time: activity.startTime.toISOString(),
    local_date: activity.localDate,
    elapsed_s: activity.elapsedS,
    moving_s: activity.movingS,
    distance_m: tenth(activity.distanceM),
    elevation_gain_m: tenth(activity.elevationGainM),
    avg_power: tenth(activity.avgPower),
    max_power: tenth(activity.maxPower),
    normalized_power: tenth(activity.normalizedPower),
    intensity_factor: activity.intensityFactor === null ? null : roundTo(activity.intensityFactor, 3),
    tss: tenth(activity.tss),
    tss_method: activity.tssMethod,
    ftp_used: activity.ftpUsed,
    avg_hr: tenth(activity.avgHr),
    max_hr: tenth(activity.maxHr),
    avg_cadence: tenth(activity.avgCadence),
    time_in_power_zones_s: activity.timeInPowerZonesS,
    notes: activity.notes,
    created_at: activity.createdAt.toISOString(),
    updated_at: activity.updatedAt.toISOString(),
  };
}
