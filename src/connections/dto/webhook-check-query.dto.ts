import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/** Strava's subscription check: `hub.mode=subscribe&hub.verify_token=...&hub.challenge=...`. */
export class WebhookCheckQueryDto {
  @ApiPropertyOptional({ name: 'hub.mode', example: 'subscribe' })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  'hub.mode'?: string;

  @ApiPropertyOptional({ name: 'hub.verify_token' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  'hub.verify_token'?: string;

  @ApiPropertyOptional({ name: 'hub.challenge' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  'hub.challenge'?: string;
}
