import { ApiProperty } from '@nestjs/swagger';
import type { ProviderConnection } from '../provider-connection.entity';

/** A connection as its owner sees it: never a token. */
export class ConnectionResponseDto {
  @ApiProperty({ example: 'strava', enum: ['strava'] })
  provider!: string;

  @ApiProperty({ example: 'connected', enum: ['connected', 'error'] })
  status!: string;

  @ApiProperty({ example: 9123456, type: 'integer', description: "The provider's athlete id" })
  athlete_id!: number;

  @ApiProperty({ example: ['read', 'activity:read_all'], type: [String] })
  scopes!: string[];

  @ApiProperty({ example: '2025-11-13T04:26:27.968Z', format: 'date-time' })
  connected_at!: string;

  @ApiProperty({ example: '2025-11-13T04:27:02.113Z', format: 'date-time', nullable: true, type: String })
  last_sync_at!: string | null;

  @ApiProperty({ example: null, nullable: true, type: String, description: 'Why the status is `error`' })
  last_error!: string | null;
}

export function toConnectionResponse(connection: ProviderConnection): ConnectionResponseDto {
  return {
    provider: connection.provider,
    status: connection.status,
    athlete_id: Number(connection.athleteId),
    scopes: connection.scopes,
    connected_at: connection.connectedAt.toISOString(),
    last_sync_at: connection.lastSyncAt?.toISOString() ?? null,
    last_error: connection.lastError,
  };
}

export class AuthorizeResponseDto {
  @ApiProperty({
    example:
      'https://www.strava.com/oauth/authorize?client_id=4242&redirect_uri=...&response_type=code&scope=activity%3Aread_all&state=...',
    description: "Send the athlete's browser here; Strava sends it back to the callback",
  })
  authorize_url!: string;
}
