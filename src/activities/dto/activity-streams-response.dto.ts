import { ApiProperty } from '@nestjs/swagger';
import type { ActivityStreams } from '../../sport-science';

const channel = (description: string) =>
  ({
    type: 'array',
    items: { type: 'number', nullable: true },
    nullable: true,
    description: `${description}; null when the file has no such channel`,
  }) as const;

/** The samples as recorded (not resampled): arrays of equal length. */
export class ActivityStreamsResponseDto {
  @ApiProperty({ type: 'array', items: { type: 'number' }, description: 'Seconds from the start', example: [0, 1, 2] })
  time!: number[];

  @ApiProperty(channel('Watts'))
  power!: (number | null)[] | null;

  @ApiProperty(channel('Beats per minute'))
  heart_rate!: (number | null)[] | null;

  @ApiProperty(channel('Revolutions (or steps) per minute'))
  cadence!: (number | null)[] | null;

  @ApiProperty(channel('Metres'))
  altitude!: (number | null)[] | null;

  @ApiProperty(channel('Metres from the start'))
  distance!: (number | null)[] | null;

  @ApiProperty(channel('Metres per second'))
  speed!: (number | null)[] | null;
}

export function toActivityStreamsResponse(streams: ActivityStreams): ActivityStreamsResponseDto {
  return {
    time: streams.time,
    power: streams.power,
    heart_rate: streams.heart_rate,
    cadence: streams.cadence,
    altitude: streams.altitude,
    distance: streams.distance,
    speed: streams.speed,
  };
}
