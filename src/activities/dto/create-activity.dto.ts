import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsNumber, IsOptional, IsString, Length, Matches, Max, MaxLength, Min } from 'class-validator';
import { NOT_BLANK } from '../../missions/dto/create-mission.dto';
import { SPORTS, type ActivitySport } from '../activity.entity';
import { IsPastTimestamp } from './timestamp.validator';

const FINITE = { allowNaN: false, allowInfinity: false } as const;

/** `POST /activities`: a manual entry. Its `elapsed_s` and `moving_s` are `duration_s`. */
export class CreateActivityDto {
  @ApiProperty({ minLength: 1, maxLength: 255, example: 'Lunch ride' })
  @IsString()
  @Length(1, 255)
  @Matches(NOT_BLANK, { message: 'name must not be blank' })
  name!: string;

  @ApiProperty({ enum: SPORTS, example: 'ride' })
  @IsIn(SPORTS)
  sport!: ActivitySport;

  @ApiProperty({
    type: 'string',
    format: 'date-time',
    example: '2025-01-15T07:30:00.000Z',
    description: 'ISO 8601 with Z or an offset; not in the future',
  })
  @IsPastTimestamp()
  start_time!: string;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 604800, example: 3600, description: 'Seconds (at most 7 days)' })
  @IsInt()
  @Min(1)
  @Max(604800)
  duration_s!: number;

  @ApiPropertyOptional({ type: 'number', minimum: 0, maximum: 10000000, nullable: true, example: 32000 })
  @IsOptional()
  @IsNumber(FINITE)
  @Min(0)
  @Max(10_000_000)
  distance_m?: number | null;

  @ApiPropertyOptional({ type: 'number', minimum: 0, maximum: 3000, nullable: true, example: 180 })
  @IsOptional()
  @IsNumber(FINITE)
  @Min(0)
  @Max(3000)
  avg_power?: number | null;

  @ApiPropertyOptional({ type: 'number', minimum: 0, maximum: 3000, nullable: true, example: 200 })
  @IsOptional()
  @IsNumber(FINITE)
  @Min(0)
  @Max(3000)
  normalized_power?: number | null;

  @ApiPropertyOptional({ type: 'number', minimum: 20, maximum: 250, nullable: true, example: 145 })
  @IsOptional()
  @IsNumber(FINITE)
  @Min(20)
  @Max(250)
  avg_hr?: number | null;

  @ApiPropertyOptional({
    type: 'number',
    minimum: 0,
    maximum: 3000,
    nullable: true,
    example: 75,
    description: 'Your own TSS: it wins over any computed one (tss_method manual)',
  })
  @IsOptional()
  @IsNumber(FINITE)
  @Min(0)
  @Max(3000)
  tss?: number | null;

  @ApiPropertyOptional({ type: 'string', maxLength: 1000, nullable: true, example: 'Windy' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  notes?: string | null;
}
