import { ApiProperty } from '@nestjs/swagger';

const PHASES = ['base', 'build', 'peak', 'taper', 'event', 'complete'];
const INTENSITIES = ['rest', 'easy', 'moderate', 'hard'];

export class ProgressDayDto {
  @ApiProperty({ type: 'string', format: 'date', example: '2030-01-15' })
  date!: string;

  @ApiProperty({ type: 'number', example: 85.2 })
  tss!: number;

  @ApiProperty({ type: 'number', example: 1.5, description: 'Moving time, hours' })
  hours!: number;

  @ApiProperty({ enum: INTENSITIES, example: 'moderate', description: "From the day's highest IF" })
  intensity!: string;

  @ApiProperty({
    type: 'number',
    example: 15,
    description: 'daily_base x the multiplier of the intensity it scores as',
  })
  points!: number;

  @ApiProperty({ type: 'number', example: 55.1 })
  ctl!: number;

  @ApiProperty({ type: 'number', example: 60.3 })
  atl!: number;

  @ApiProperty({ type: 'number', example: -5.2 })
  tsb!: number;

  @ApiProperty({ type: 'integer', nullable: true, example: 72 })
  readiness!: number | null;

  @ApiProperty({
    type: 'array',
    items: { type: 'string', enum: ['hard_day_low_form', 'hard_day_low_readiness'] },
    example: [],
  })
  flags!: string[];
}

export class ProgressWeekDto {
  @ApiProperty({ type: 'string', format: 'date', example: '2030-01-14', description: 'The Monday of the week' })
  week_start!: string;

  @ApiProperty({ type: 'number', example: 8.5 })
  hours!: number;

  @ApiProperty({ type: 'number', example: 420.7 })
  tss!: number;

  @ApiProperty({ type: 'number', example: 75 })
  points!: number;

  @ApiProperty({ type: 'array', items: { type: 'string', enum: ['over_max_weekly_hours'] }, example: [] })
  flags!: string[];
}

export class MissionProgressResponseDto {
  @ApiProperty({ format: 'uuid', example: '3f0c9a56-2c1e-4d8e-9f4b-8a1d2b3c4d5e' })
  mission_id!: string;

  @ApiProperty({ enum: PHASES, example: 'build' })
  phase!: string;

  @ApiProperty({ type: 'integer', example: 30, description: 'event_start_date minus today in the mission zone' })
  days_to_event!: number;

  @ApiProperty({ type: 'number', example: 512.5 })
  points_total!: number;

  @ApiProperty({ type: [ProgressDayDto], description: 'Oldest first' })
  days!: ProgressDayDto[];

  @ApiProperty({ type: [ProgressWeekDto], description: 'Monday to Sunday, oldest first' })
  weeks!: ProgressWeekDto[];
}
