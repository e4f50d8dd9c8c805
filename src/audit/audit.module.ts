import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ErrorResponseHook } from '../common/all-exceptions.filter';
import { AuditLog } from './audit-log.entity';
import { AuditWriter } from './audit-writer';
import { AuditController } from './audit.controller';
import { AuditService } from './audit.service';

/**
 * The audit trail. Its parts: @Audit/@SkipAudit (audit.decorators.ts) name a route's row, the
 * AuditRouteResolver records that name first thing, the AuditInterceptor writes the row of every handled
 * request, the exception filter's ErrorResponseHook (this service) writes the row of a refused one, and
 * services add facts with noteForAudit() (audit-notes.ts). AppModule registers the resolver and the
 * interceptor globally.
 */
@Module({
  imports: [TypeOrmModule.forFeature([AuditLog])],
  controllers: [AuditController],
  providers: [AuditService, AuditWriter, { provide: ErrorResponseHook, useExisting: AuditService }],
  exports: [AuditService, ErrorResponseHook],
})
export class AuditModule {}
