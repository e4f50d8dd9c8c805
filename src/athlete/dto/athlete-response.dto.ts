import { ApiProperty } from '@nestjs/swagger';
import type { AthleteSettings } from '../athlete.service';

export class FtpHistoryEntryDto {
  @ApiProperty({ type: 'integer', example: 250 })
  ftp!: number;

  @ApiProperty({ type: 'string', format: 'date', example: '2030-01-15' })
  effective_from!: string;
}

export class AthleteResponseDto {
  @ApiProperty({ type: 'integer', nullable: true, example: 250, description: 'The latest FTP entry' })
  ftp!: number | null;

  @ApiProperty({ type: [FtpHistoryEntryDto], description: 'Oldest first' })
  ftp_history!: FtpHistoryEntryDto[];

  @ApiProperty({ type: 'number', nullable: true, example: 72.5 })
  weight_kg!: number | null;

  @ApiProperty({ type: 'integer', nullable: true, example: 190 })
  max_hr!: number | null;

  @ApiProperty({ type: 'integer', nullable: true, example: 170 })
  threshold_hr!: number | null;

  @ApiProperty({ example: 'UTC' })
  timezone!: string;

  @ApiProperty({
    type: 'string',
    format: 'date-time',
    nullable: true,
    example: '2025-11-13T04:26:27.968Z',
    description: 'null until the profile is first saved',
  })
  updated_at!: string | null;
}

export function toAthleteResponse(athlete: AthleteSettings): AthleteResponseDto {
  return {
    ftp: athlete.ftpHistory.at(-1)?.ftp ?? null,
    ftp_history: athlete.ftpHistory.map((entry) => ({ ftp: entry.ftp, effective_from: entry.effectiveFrom })),
    weight_kg: athlete.weightKg,
    max_hr: athlete.maxHr,
    threshold_hr: athlete.thresholdHr,
    timezone: athlete.timezone,
    updated_at: athlete.updatedAt?.toISOString() ?? null,
  };
}
