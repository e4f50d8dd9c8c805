import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { NotificationPreferencesDto } from './notification-preferences.dto';
import { IsFutureCalendarDate } from '../questionnaire.validators';
import { RIDING_STYLES, type RidingStyle } from '../riding-style';
import { WEEKDAYS, canonicalWeekday, type Weekday } from '../weekdays';
import { WeeklyHoursDto } from './weekly-hours.dto';

const NOT_BLANK = /\S/;

/** The mission builder questionnaire (`POST /missions/draft`). */
export class CreateMissionDraftDto {
  @ApiProperty({ minLength: 1, maxLength: 255, example: 'Unbound Gravel 200' })
  @IsString()
  @Length(1, 255)
  @Matches(NOT_BLANK, { message: 'event_name must not be blank' })
  event_name!: string;

  @ApiProperty({
    type: 'string',
    format: 'date',
    example: '2030-06-01',
    description: 'Event date (YYYY-MM-DD), strictly after today in UTC',
  })
  @IsFutureCalendarDate()
  event_date!: string;

  @ApiProperty({
    minLength: 1,
    maxLength: 100,
    example: 'gravel_ultra',
    description:
      'Known kinds: gravel_ultra, road_century, crit_series, gran_fondo, time_trial, stage_race, ' +
      'endurance, general_fitness; other values are accepted',
  })
  @IsString()
  @MaxLength(100)
  @Matches(NOT_BLANK, { message: 'mission_type must not be empty' })
  mission_type!: string;

  @ApiProperty({ type: () => WeeklyHoursDto })
  @IsObject()
  @ValidateNested()
  @Type(() => WeeklyHoursDto)
  weekly_hours!: WeeklyHoursDto;

  @ApiProperty({
    type: 'integer',
    minimum: 50,
    maximum: 500,
    example: 250,
    description: 'Functional threshold power, watts (integer 50-500)',
  })
  @IsInt()
  @Min(50)
  @Max(500)
  current_ftp!: number;

  @ApiPropertyOptional({
    enum: WEEKDAYS,
    isArray: true,
    example: ['Tuesday', 'Thursday', 'Saturday'],
    description: 'Weekday names; any letter case is accepted',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (Array.isArray(value) ? value.map(canonicalWeekday) : value))
  @IsArray()
  @ArrayMaxSize(7)
  @ArrayUnique()
  @IsIn(WEEKDAYS, {
    each: true,
    message: `each value in preferred_training_days must be one of ${WEEKDAYS.join(', ')}`,
  })
  preferred_training_days?: Weekday[];

  @ApiPropertyOptional({ maxLength: 1000, example: 'No training on weekday mornings' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  constraints?: string;

  @ApiPropertyOptional({
    enum: RIDING_STYLES,
    default: 'steady',
    description: 'gc/steady are read as steady, breakaway/aggressive as aggressive',
  })
  @IsOptional()
  @IsIn(RIDING_STYLES)
  riding_style?: RidingStyle = 'steady';

  @ApiPropertyOptional({ type: () => NotificationPreferencesDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => NotificationPreferencesDto)
  notification_preferences?: NotificationPreferencesDto;
}
