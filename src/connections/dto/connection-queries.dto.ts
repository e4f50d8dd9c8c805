import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsString, MaxLength } from 'class-validator';

/** What Strava appends to the redirect URI: `code`, `state`, `scope`, or `error` when the athlete declined. */
export class StravaCallbackQueryDto {
  @ApiPropertyOptional({ description: 'The authorization code' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  code?: string;

  @ApiPropertyOptional({ description: 'The state made by POST /connections/strava/authorize' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  state?: string;

  @ApiPropertyOptional({ example: 'read,activity:read_all', description: 'The scopes the athlete granted' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  scope?: string;

  @ApiPropertyOptional({ example: 'access_denied', description: 'Sent by Strava instead of a code when declined' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  error?: string;
}

export class DisconnectQueryDto {
  @ApiPropertyOptional({
    type: Boolean,
    default: false,
    description: 'Also delete the activities imported from Strava',
  })
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsOptional()
  @IsBoolean()
  delete_activities: boolean = false;
}
