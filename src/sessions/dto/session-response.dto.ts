import { ApiProperty } from '@nestjs/swagger';
import type { Session } from '../session.entity';

/** A session as its owner sees it: where and when, never a token or jti. */
export class SessionResponseDto {
  @ApiProperty({ type: 'integer', example: 12 })
  id!: number;

  @ApiProperty({
    example: '2025-11-13T04:26:27.968Z',
    format: 'date-time',
    description: 'When its current tokens were issued (login or latest refresh)',
  })
  created_at!: string;

  @ApiProperty({
    example: '2025-11-20T04:26:27.968Z',
    format: 'date-time',
    description: 'When its refresh token expires',
  })
  expires_at!: string;

  @ApiProperty({ example: true, description: 'false once logged out, revoked or expired' })
  is_valid!: boolean;

  @ApiProperty({ example: '203.0.113.7', nullable: true, type: String })
  ip_address!: string | null;

  @ApiProperty({ example: 'Mozilla/5.0 ...', nullable: true, type: String })
  user_agent!: string | null;

  @ApiProperty({ example: true, description: 'true for the session of the access token making this request' })
  current!: boolean;
}

export function toSessionResponse(session: Session, currentSessionId: number, now = Date.now()): SessionResponseDto {
  return {
    id: session.id,
    created_at: session.createdAt.toISOString(),
    expires_at: session.expiresAt.toISOString(),
    is_valid: session.isValid && session.expiresAt.getTime() > now,
    ip_address: session.ipAddress,
    user_agent: session.userAgent,
    current: session.id === currentSessionId,
  };
}
