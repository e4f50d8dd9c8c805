import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional, IsString, Length, Matches, ValidateIf } from 'class-validator';
import { IsCalendarDate, IsIanaTimeZone, ToCanonicalTimeZone } from '../../common/calendar';

export const NOT_BLANK = /\S/;
/** Present, or absent: `null` is refused (for fields a mission always has). */
export const unlessAbsent = ValidateIf((_object: object, value: unknown) => value !== undefined);

/** The `timezone` property's description, shared by the create and update bodies. */
export const TIME_ZONE_DESCRIPTION =
  'IANA time zone name (Area/Location such as Europe/Paris, or UTC); "today" for this mission is the ' +
  'date there. Any letter case and legacy links (Asia/Calcutta, US/Eastern, EST) are accepted; the zone is ' +
  'stored and returned under the canonical name the server resolves it to (utc -> UTC, europe/paris -> ' +
  'Europe/Paris). Unknown names and offsets such as +05:00: 422';

const JSON_OBJECT = { type: 'object', additionalProperties: true } as const;

/** `points_schema`: any JSON object, never null. `doc` adds the create body's default. */
export const PointsSchemaField = (doc: { default?: object } = {}): PropertyDecorator =>
  applyDecorators(
    ApiPropertyOptional({ ...JSON_OBJECT, ...doc, description: 'How the mission scores days; any JSON object' }),
    unlessAbsent,
    IsObject(),
  );

/** `timezone`: an IANA zone, stored under its canonical name, never null. `doc` adds the create body's default. */
export const TimeZoneField = (doc: { default?: string } = {}): PropertyDecorator =>
  applyDecorators(
    ApiPropertyOptional({ type: 'string', ...doc, example: 'Europe/Paris', description: TIME_ZONE_DESCRIPTION }),
    ToCanonicalTimeZone(),
    unlessAbsent,
    IsString(),
    IsIanaTimeZone(),
  );

/**
 * `POST /missions`. The mission starts in PREP; `id`, `user_id` and `state` are not accepted (422).
 * Date rules that involve two fields (end before start) are checked by the service (400). Defaults
 * (`points_schema` {}, `timezone` UTC) are applied by the service, not here: the update body derives
 * from this class, where an absent field means "unchanged".
 */
export class CreateMissionDto {
  @ApiProperty({ minLength: 1, maxLength: 255, example: 'Unbound Gravel 200' })
  @IsString()
  @Length(1, 255)
  @Matches(NOT_BLANK, { message: 'name must not be blank' })
  name!: string;

  @ApiProperty({ minLength: 1, maxLength: 100, example: 'gravel_ultra' })
  @IsString()
  @Length(1, 100)
  @Matches(NOT_BLANK, { message: 'mission_type must not be blank' })
  mission_type!: string;

  @ApiProperty({ type: 'string', format: 'date', example: '2030-06-01' })
  @IsCalendarDate()
  event_start_date!: string;

  @ApiProperty({
    type: 'string',
    format: 'date',
    example: '2030-06-01',
    description: 'On or after event_start_date (else 400)',
  })
  @IsCalendarDate()
  event_end_date!: string;

  @ApiPropertyOptional({ type: 'string', format: 'date', nullable: true, example: '2030-02-01' })
  @IsOptional()
  @IsCalendarDate()
  prep_start_date?: string | null;

  @ApiPropertyOptional({
    type: 'string',
    format: 'date',
    nullable: true,
    example: '2030-05-25',
    description: 'After prep_start_date when both are given (else 400)',
  })
  @IsOptional()
  @IsCalendarDate()
  prep_end_date?: string | null;

  @PointsSchemaField({ default: {} })
  points_schema?: Record<string, unknown>;

  @TimeZoneField({ default: 'UTC' })
  timezone?: string;

  @ApiPropertyOptional({
    ...JSON_OBJECT,
    nullable: true,
    example: { min_readiness: 70, min_tsb: -15, max_weekly_hours: 10 },
  })
  @IsOptional()
  @IsObject()
  constraints?: Record<string, unknown> | null;

  @ApiPropertyOptional({ ...JSON_OBJECT, nullable: true, example: { channel: 'app', morning_briefing: true } })
  @IsOptional()
  @IsObject()
  notification_preferences?: Record<string, unknown> | null;
}
