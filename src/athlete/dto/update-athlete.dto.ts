import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsNumber, IsOptional, IsString, Max, Min } from 'class-validator';
import { OptionalNotNull } from '../../common/validation';
import { IsCalendarDate, IsIanaTimeZone, ToCanonicalTimeZone } from '../../common/calendar';

/**
 * `PUT /athlete`: only the fields sent change. `null` clears `weight_kg`, `max_hr` and `threshold_hr`;
 * an FTP, once set, is changed by sending another one (each one is kept in the history).
 */
export class UpdateAthleteDto {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 50,
    maximum: 500,
    example: 250,
    description: 'Functional threshold power in watts: a new entry in the FTP history',
  })
  @OptionalNotNull()
  @IsInt()
  @Min(50)
  @Max(500)
  ftp?: number;

  @ApiPropertyOptional({
    type: 'string',
    format: 'date',
    example: '2025-01-15',
    description:
      'The date the new FTP applies from (only with `ftp`; default today in the athlete zone; not after today). ' +
      'Activities on and after it are re-scored; a second FTP on the same date replaces the first.',
  })
  @OptionalNotNull()
  @IsCalendarDate()
  ftp_effective_from?: string;

  @ApiPropertyOptional({ type: 'number', minimum: 30, maximum: 250, nullable: true, example: 72.5 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(30)
  @Max(250)
  weight_kg?: number | null;

  @ApiPropertyOptional({ type: 'integer', minimum: 100, maximum: 230, nullable: true, example: 190 })
  @IsOptional()
  @IsInt()
  @Min(100)
  @Max(230)
  max_hr?: number | null;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 80,
    maximum: 220,
    nullable: true,
    example: 170,
    description: 'Lactate threshold heart rate; below max_hr when both are set',
  })
  @IsOptional()
  @IsInt()
  @Min(80)
  @Max(220)
  threshold_hr?: number | null;

  @ApiPropertyOptional({
    type: 'string',
    example: 'Europe/Paris',
    description:
      'IANA zone name: activity dates and days of the training load are dates there (changing it moves ' +
      'existing activities to their date in the new zone)',
  })
  @ToCanonicalTimeZone()
  @OptionalNotNull()
  @IsString()
  @IsIanaTimeZone()
  timezone?: string;
}
