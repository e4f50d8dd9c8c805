import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import { NOTIFICATION_CHANNELS, type MissionDraft, type NotificationChannel } from '../mission-draft.schema';

export class NotificationPreferencesDto {
  @ApiPropertyOptional({ enum: NOTIFICATION_CHANNELS, default: 'app' })
  @IsOptional()
  @IsIn(NOTIFICATION_CHANNELS)
  channel?: NotificationChannel = 'app';

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  morning_briefing?: boolean = true;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  evening_summary?: boolean = true;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  weekly_review?: boolean = true;
}

/** The user's preferences with every default filled in (also when the whole object was left out). */
export function resolveNotificationPreferences(
  prefs: NotificationPreferencesDto | null | undefined,
): MissionDraft['notification_preferences'] {
  return {
    channel: prefs?.channel ?? 'app',
    morning_briefing: prefs?.morning_briefing ?? true,
    evening_summary: prefs?.evening_summary ?? true,
    weekly_review: prefs?.weekly_review ?? true,
  };
}
