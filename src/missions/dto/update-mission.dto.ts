import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional, IsString, Length, Matches } from 'class-validator';
import { IsCalendarDate, IsIanaTimeZone, ToCanonicalTimeZone } from '../../common/calendar';
import { NOT_BLANK, TIME_ZONE_DESCRIPTION, unlessAbsent } from './create-mission.dto';

const JSON_OBJECT = { type: 'object', additionalProperties: true } as const;

/**
 * `PUT /missions/{id}`: a partial update, only the fields sent change. Fields every mission has cannot
 * be set to null; the optional ones (prep dates, constraints, notification preferences) can be cleared
 * with null. The state changes only through the transition endpoint.
 */
export class UpdateMissionDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 255 })
  @unlessAbsent
  @IsString()
  @Length(1, 255)
  @Matches(NOT_BLANK, { message: 'name must not be blank' })
  name?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 100 })
  @unlessAbsent
  @IsString()
  @Length(1, 100)
  @Matches(NOT_BLANK, { message: 'mission_type must not be blank' })
  mission_type?: string;

  @ApiPropertyOptional({ type: 'string', format: 'date' })
  @unlessAbsent
  @IsCalendarDate()
  event_start_date?: string;

  @ApiPropertyOptional({ type: 'string', format: 'date' })
  @unlessAbsent
  @IsCalendarDate()
  event_end_date?: string;

  @ApiPropertyOptional({ type: 'string', format: 'date', nullable: true, description: 'null clears it' })
  @IsOptional()
  @IsCalendarDate()
  prep_start_date?: string | null;

  @ApiPropertyOptional({ type: 'string', format: 'date', nullable: true, description: 'null clears it' })
  @IsOptional()
  @IsCalendarDate()
  prep_end_date?: string | null;

  @ApiPropertyOptional(JSON_OBJECT)
  @unlessAbsent
  @IsObject()
  points_schema?: Record<string, unknown>;

  @ApiPropertyOptional({ type: 'string', example: 'Europe/Paris', description: TIME_ZONE_DESCRIPTION })
  @ToCanonicalTimeZone()
  @unlessAbsent
  @IsString()
  @IsIanaTimeZone()
  timezone?: string;

  @ApiPropertyOptional({ ...JSON_OBJECT, nullable: true })
  @IsOptional()
  @IsObject()
  constraints?: Record<string, unknown> | null;

  @ApiPropertyOptional({ ...JSON_OBJECT, nullable: true })
  @IsOptional()
  @IsObject()
  notification_preferences?: Record<string, unknown> | null;
}
