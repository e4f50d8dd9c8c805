import { ApiProperty } from '@nestjs/swagger';
import { PageDto, type Page } from '../../common/paging';
import type { AuditLog } from '../audit-log.entity';

export class AuditLogResponseDto {
  @ApiProperty({ type: 'integer', example: 42 })
  id!: number;

  @ApiProperty({ example: 1, nullable: true, type: 'integer', description: 'null when anonymous' })
  user_id!: number | null;

  @ApiProperty({ example: 'login_failed' })
  action!: string;

  @ApiProperty({ example: 'session', nullable: true, type: String })
  resource!: string | null;

  @ApiProperty({ example: '12', nullable: true, type: String })
  resource_id!: string | null;

  @ApiProperty({ example: 'rate limited: login-account', nullable: true, type: String })
  details!: string | null;

  @ApiProperty({ example: '203.0.113.7', nullable: true, type: String })
  ip_address!: string | null;

  @ApiProperty({ example: 'Mozilla/5.0 ...', nullable: true, type: String })
  user_agent!: string | null;

  @ApiProperty({ type: 'integer', example: 401 })
  status_code!: number;

  @ApiProperty({ example: '3f2a9c1e-8d4b-4c6a-9e7f-1a2b3c4d5e6f', nullable: true, type: String })
  request_id!: string | null;

  @ApiProperty({ example: '2025-11-13T04:26:27.968Z', format: 'date-time' })
  created_at!: string;
}

export class AuditLogPageDto extends PageDto(AuditLogResponseDto, 'rows') {}

export function toAuditLogResponse(row: AuditLog): AuditLogResponseDto {
  return {
    id: row.id,
    user_id: row.userId,
    action: row.action,
    resource: row.resource,
    resource_id: row.resourceId,
    details: row.details,
    ip_address: row.ipAddress,
    user_agent: row.userAgent,
    status_code: row.statusCode,
    request_id: row.requestId,
    created_at: row.createdAt.toISOString(),
  };
}

export function toAuditLogPage(page: Page<AuditLog>): AuditLogPageDto {
  return { ...page, items: page.items.map(toAuditLogResponse) };
}
