import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { isISO8601, IsOptional, Matches, MaxLength, ValidateBy } from 'class-validator';
import { IntInRange, PageQueryDto, toInteger } from '../../common/paging';
import type { AuditFilter } from '../audit.service';

/** Date, or date and time with an optional offset (none means UTC), e.g. `2025-11-13T04:26:27.968Z`. */
const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?)?$/;
const NAME = /^[A-Za-z0-9._-]+$/;

/** An optional date or date-time, valid on the calendar too (no 2025-02-30), with one message when not. */
function Instant(): PropertyDecorator {
  return (target: object, key: string | symbol) => {
    IsOptional()(target, key);
    ValidateBy({
      name: 'iso_datetime',
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' && ISO_DATETIME.test(value) && isISO8601(value, { strict: true }),
        defaultMessage: () => `${String(key)} must be an ISO 8601 date or date-time, e.g. 2025-11-13T04:26:27.968Z`,
      },
    })(target, key);
  };
}

export class AuditLogQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, example: 1 })
  @IsOptional()
  @Transform(toInteger)
  @IntInRange(1, 2_147_483_647)
  user_id?: number;

  @ApiPropertyOptional({ example: 'login_failed' })
  @IsOptional()
  @MaxLength(100)
  @Matches(NAME, { message: 'action must contain only letters, digits, ".", "_" and "-"' })
  action?: string;

  @ApiPropertyOptional({ example: 'session' })
  @IsOptional()
  @MaxLength(100)
  @Matches(NAME, { message: 'resource must contain only letters, digits, ".", "_" and "-"' })
  resource?: string;

  @ApiPropertyOptional({ description: 'The X-Request-Id of the request' })
  @IsOptional()
  @MaxLength(128)
  @Matches(NAME, { message: 'request_id must contain only letters, digits, ".", "_" and "-"' })
  request_id?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 100, maximum: 599, example: 401 })
  @IsOptional()
  @Transform(toInteger)
  @IntInRange(100, 599)
  status_code?: number;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Rows created at or after this instant (no offset means UTC)',
  })
  @Instant()
  since?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Rows created at or before this instant (no offset means UTC)',
  })
  @Instant()
  until?: string;
}

/** The instant a validated `since`/`until` names; a date-time without an offset is read as UTC. */
function instantOf(value: string | undefined): Date | undefined {
  if (value === undefined) {
    return undefined;
  }
  const hasOffset = /(Z|[+-]\d{2}:\d{2})$/.test(value) || !value.includes('T');
  return new Date(hasOffset ? value : `${value}Z`);
}

export function toAuditFilter(query: AuditLogQueryDto): AuditFilter {
  return {
    userId: query.user_id,
    action: query.action,
    resource: query.resource,
    requestId: query.request_id,
    statusCode: query.status_code,
    since: instantOf(query.since),
    until: instantOf(query.until),
  };
}
