import { ApiProperty } from '@nestjs/swagger';
import { NOTIFICATION_CHANNELS } from './notification-preferences.dto';
import type { MissionDraft, NotificationChannel } from '../mission-draft.schema';
import type { MissionDraftRow } from '../mission-draft-record.entity';

/** OpenAPI description of a draft; the shape itself is defined once, in builder/mission-draft.schema.ts. */
class DraftIntensityMultipliersDto {
  @ApiProperty({ exclusiveMinimum: true, minimum: 0, example: 1 })
  easy!: number;

  @ApiProperty({ exclusiveMinimum: true, minimum: 0, example: 1.5 })
  moderate!: number;

  @ApiProperty({ exclusiveMinimum: true, minimum: 0, example: 2.5 })
  hard!: number;
}

class DraftPointsSchemaDto {
  @ApiProperty({ example: 'Points for every planned session completed, weighted by intensity' })
  description!: string;

  @ApiProperty({ type: 'integer', minimum: 5, maximum: 50, example: 15 })
  daily_base!: number;

  @ApiProperty({ type: DraftIntensityMultipliersDto })
  intensity_multipliers!: DraftIntensityMultipliersDto;
}

class DraftConstraintsDto {
  @ApiProperty({ type: 'integer', minimum: 50, maximum: 95, example: 70 })
  min_readiness!: number;

  @ApiProperty({ minimum: -30, maximum: 10, example: -12 })
  min_tsb!: number;

  @ApiProperty({ minimum: 1, maximum: 40, example: 12, description: 'At most the questionnaire weekly_hours.max' })
  max_weekly_hours!: number;
}

class DraftNotificationPreferencesDto {
  @ApiProperty({ enum: NOTIFICATION_CHANNELS, example: 'app' })
  channel!: NotificationChannel;

  @ApiProperty({ example: true })
  morning_briefing!: boolean;

  @ApiProperty({ example: true })
  evening_summary!: boolean;

  @ApiProperty({ example: true })
  weekly_review!: boolean;
}

export class MissionDraftDto {
  @ApiProperty({ maxLength: 255, example: 'Unbound Gravel 200 Mission' })
  name!: string;

  @ApiProperty({ example: 'gravel_ultra', description: "The questionnaire's mission_type" })
  mission_type!: string;

  @ApiProperty({ type: 'string', format: 'date', example: '2030-02-11', description: 'Before event_start' })
  prep_start!: string;

  @ApiProperty({ type: 'string', format: 'date', example: '2030-06-01', description: "The questionnaire's event_date" })
  event_start!: string;

  @ApiProperty({ type: 'string', format: 'date', example: '2030-06-01', description: 'On or after event_start' })
  event_end!: string;

  @ApiProperty({ type: DraftPointsSchemaDto })
  points_schema!: DraftPointsSchemaDto;

  @ApiProperty({ type: DraftConstraintsDto })
  constraints!: DraftConstraintsDto;

  @ApiProperty({
    type: DraftNotificationPreferencesDto,
    description: "The questionnaire's preferences, defaults filled in",
  })
  notification_preferences!: DraftNotificationPreferencesDto;

  @ApiProperty({ minLength: 10, example: 'Sixteen weeks: base, build, then a ten-day taper before the event.' })
  notes!: string;
}

export class MissionDraftResponseDto {
  @ApiProperty({
    format: 'uuid',
    description: 'Confirm with POST /missions/draft/{draft_id}/confirm before it expires',
  })
  draft_id!: string;

  @ApiProperty({ type: MissionDraftDto })
  draft!: MissionDraft;

  @ApiProperty({ format: 'date-time', example: '2025-11-14T20:31:11.234Z' })
  generated_at!: string;

  @ApiProperty({ example: 'gpt-4o-mini', description: 'The model that answered, as the server reported it' })
  model_used!: string;

  @ApiProperty({ type: 'integer', minimum: 0, example: 500, description: 'Summed over every attempt of the request' })
  prompt_tokens!: number;

  @ApiProperty({ type: 'integer', minimum: 0, example: 300, description: 'Summed over every attempt of the request' })
  completion_tokens!: number;
}

export function toMissionDraftResponse(record: MissionDraftRow): MissionDraftResponseDto {
  return {
    draft_id: record.id,
    draft: record.draft,
    generated_at: record.createdAt.toISOString(),
    model_used: record.model,
    prompt_tokens: record.promptTokens,
    completion_tokens: record.completionTokens,
  };
}
