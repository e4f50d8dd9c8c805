import { ApiProperty } from '@nestjs/swagger';
import type { WellnessDay } from '../wellness-day.entity';

export class WellnessDayResponseDto {
  @ApiProperty({ type: 'string', format: 'date', example: '2030-01-15' })
  date!: string;

  @ApiProperty({ type: 'integer', nullable: true, example: 78 })
  readiness!: number | null;

  @ApiProperty({ type: 'number', nullable: true, example: 7.5 })
  sleep_hours!: number | null;

  @ApiProperty({ type: 'integer', nullable: true, example: 48 })
  resting_hr!: number | null;

  @ApiProperty({ type: 'number', nullable: true, example: 65 })
  hrv_ms!: number | null;

  @ApiProperty({ type: 'string', nullable: true, example: null })
  notes!: string | null;

  @ApiProperty({ format: 'date-time', example: '2025-11-13T04:26:27.968Z' })
  updated_at!: string;
}

export function toWellnessDayResponse(day: WellnessDay): WellnessDayResponseDto {
  return {
    date: day.date,
    readiness: day.readiness,
    sleep_hours: day.sleepHours,
    resting_hr: day.restingHr,
    hrv_ms: day.hrvMs,
    notes: day.notes,
    updated_at: day.updatedAt.toISOString(),
  };
}
