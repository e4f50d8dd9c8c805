import { ApiProperty } from '@nestjs/swagger';
import { roundTo } from '../../sport-science/rounding';
import type { LoadDay } from '../../sport-science';

export class LoadDayResponseDto {
  @ApiProperty({ type: 'string', format: 'date', example: '2030-01-15' })
  date!: string;

  @ApiProperty({ type: 'number', example: 85.2, description: "Sum of the day's activities" })
  tss!: number;

  @ApiProperty({ type: 'number', example: 63.2, description: 'Chronic training load (fitness), 42-day constant' })
  ctl!: number;

  @ApiProperty({ type: 'number', example: 70.4, description: 'Acute training load (fatigue), 7-day constant' })
  atl!: number;

  @ApiProperty({ type: 'number', example: -7.1, description: 'Form going into the day: CTL - ATL of the day before' })
  tsb!: number;

  @ApiProperty({ type: 'number', example: 3.5, description: 'CTL minus CTL seven days earlier' })
  ramp_rate!: number;
}

/** Numbers rounded half up to 0.1. */
export function toLoadDayResponse(day: LoadDay): LoadDayResponseDto {
  return {
    date: day.date,
    tss: roundTo(day.tss, 1),
    ctl: roundTo(day.ctl, 1),
    atl: roundTo(day.atl, 1),
    tsb: roundTo(day.tsb, 1),
    ramp_rate: roundTo(day.ramp_rate, 1),
  };
}
