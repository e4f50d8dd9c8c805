import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminOnly, BearerAuth } from '../common/decorators';
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
  @ApiOperation({
    summary: 'Admin only: the audit trail, newest first, filtered by any of the given fields (read-only)',
  })
  @ApiOkResponse({ type: AuditLogPageDto })
  async list(@Query() query: AuditLogQueryDto): Promise<AuditLogPageDto> {
    return toAuditLogPage(await this.audit.list(toAuditFilter(query), query.skip, query.limit));
  }
}
