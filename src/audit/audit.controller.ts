import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AdminOnly, BearerAuth, Operation } from '../common/decorators';
import { Audit } from './audit.decorators';
import { AuditService } from './audit.service';
import { AuditLogQueryDto, toAuditFilter } from './dto/audit-log-query.dto';
import { AuditLogPageDto, toAuditLogPage } from './dto/audit-log-response.dto';

@ApiTags('audit')
@BearerAuth()
@Controller('audit-logs')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @AdminOnly()
  @Audit('audit.list', { resource: 'audit_log' })
  @Get()
  @Operation({
    id: 'listAuditLogs',
    summary: 'Admin only: the audit trail',
    description:
      'Admin only: audit rows newest first, filtered by any of the given fields. Read-only: rows are never changed through the API.',
  })
  @ApiOkResponse({ type: AuditLogPageDto })
  async list(@Query() query: AuditLogQueryDto): Promise<AuditLogPageDto> {
    return toAuditLogPage(await this.audit.list(toAuditFilter(query), query.skip, query.limit));
  }
}
