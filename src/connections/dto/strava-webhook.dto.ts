import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsObject, IsOptional, Max, Min } from 'class-validator';

const MAX_ID = Number.MAX_SAFE_INTEGER;

/** An event as Strava posts it (https://developers.strava.com/docs/webhooks/). */
export class StravaWebhookEventDto {
  @ApiProperty({ enum: ['activity', 'athlete'] })
  @IsIn(['activity', 'athlete'])
  object_type!: 'activity' | 'athlete';

  @ApiProperty({ type: 'integer', example: 10000000001, description: 'Activity or athlete id' })
  @IsInt()
  @Min(1)
  @Max(MAX_ID)
  object_id!: number;

  @ApiProperty({ enum: ['create', 'update', 'delete'] })
  @IsIn(['create', 'update', 'delete'])
  aspect_type!: 'create' | 'update' | 'delete';

  @ApiProperty({ type: 'integer', example: 9123456, description: "The athlete's id" })
  @IsInt()
  @Min(1)
  @Max(MAX_ID)
  owner_id!: number;

  @ApiProperty({ type: 'integer', example: 120475 })
  @IsInt()
  @Min(0)
  @Max(MAX_ID)
  subscription_id!: number;

  @ApiProperty({ type: 'integer', example: 1516126040, description: 'Unix seconds' })
  @IsInt()
  @Min(0)
  @Max(4_102_444_800)
  event_time!: number;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: { title: 'Morning ride' },
    description: 'What changed: `title`, `type`, `private`; `authorized: "false"` on a deauthorization',
  })
  @IsOptional()
  @IsObject()
  updates?: Record<string, unknown>;
}

export class WebhookAcceptedDto {
  @ApiProperty({ example: 'received' })
  status!: string;
}

export class WebhookChallengeDto {
  @ApiProperty({ name: 'hub.challenge', example: '15f7d1a91c1f40f8a748fd134752feb3' })
  'hub.challenge'!: string;
}
