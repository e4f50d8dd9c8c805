import { ApiProperty } from '@nestjs/swagger';
import type { Zone } from '../../sport-science';
import type { AthleteZones } from '../athlete.service';

export class PowerZoneDto {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 7, example: 2 })
  zone!: number;

  @ApiProperty({ example: 'Endurance' })
  name!: string;

  @ApiProperty({ type: 'integer', example: 138 })
  min_watts!: number;

  @ApiProperty({ type: 'integer', nullable: true, example: 187, description: 'null for zone 7' })
  max_watts!: number | null;
}

export class HeartRateZoneDto {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 5, example: 2 })
  zone!: number;

  @ApiProperty({ example: 'Endurance' })
  name!: string;

  @ApiProperty({ type: 'integer', example: 116 })
  min_bpm!: number;

  @ApiProperty({ type: 'integer', nullable: true, example: 140, description: 'null for zone 5' })
  max_bpm!: number | null;
}

export class AthleteZonesResponseDto {
  @ApiProperty({ type: 'integer', example: 250 })
  ftp!: number;

  @ApiProperty({ type: [PowerZoneDto], description: 'Coggan: 55, 75, 90, 105, 120 and 150 % of FTP' })
  power!: PowerZoneDto[];

  @ApiProperty({
    type: [HeartRateZoneDto],
    nullable: true,
    description: 'From threshold_hr (68, 83, 94 and 105 %); null without it',
  })
  heart_rate!: HeartRateZoneDto[] | null;
}

export function toAthleteZonesResponse(zones: AthleteZones): AthleteZonesResponseDto {
  return {
    ftp: zones.ftp,
    power: zones.power.map((z: Zone) => ({ zone: z.zone, name: z.name, min_watts: z.min, max_watts: z.max })),
    heart_rate:
      zones.heartRate?.map((z: Zone) => ({ zone: z.zone, name: z.name, min_bpm: z.min, max_bpm: z.max })) ?? null,
  };
}
