import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsNumber, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/** `PUT /wellness/{date}`: the whole day; a field not sent (or null) is stored as null. */
export class PutWellnessDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 100, nullable: true, example: 78 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  readiness?: number | null;

  @ApiPropertyOptional({ type: 'number', minimum: 0, maximum: 24, nullable: true, example: 7.5 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(24)
  sleep_hours?: number | null;

  @ApiPropertyOptional({ type: 'integer', minimum: 20, maximum: 150, nullable: true, example: 48 })
  @IsOptional()
  @IsInt()
  @Min(20)
  @Max(150)
  resting_hr?: number | null;

  @ApiPropertyOptional({ type: 'number', minimum: 1, maximum: 300, nullable: true, example: 65 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(1)
  @Max(300)
  hrv_ms?: number | null;

  @ApiPropertyOptional({ type: 'string', maxLength: 1000, nullable: true, example: 'Slept badly, legs heavy' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  notes?: string | null;
}
