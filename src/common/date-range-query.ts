import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { Between, type FindOperator, LessThanOrEqual, MoreThanOrEqual } from 'typeorm';
import { IsCalendarDate } from './calendar';
import { PageQueryDto } from './paging';
import { unprocessable } from './validation';

/** `from` and `to`: calendar dates, both inclusive, both optional. */
export class DateRangeQueryDto {
  @ApiPropertyOptional({ type: 'string', format: 'date', example: '2030-01-01', description: 'First date (inclusive)' })
  @IsOptional()
  @IsCalendarDate()
  from?: string;

  @ApiPropertyOptional({ type: 'string', format: 'date', example: '2030-03-31', description: 'Last date (inclusive)' })
  @IsOptional()
  @IsCalendarDate()
  to?: string;
}

/** A date range plus `skip`/`limit` paging. */
export class DateRangePageQueryDto extends IntersectionType(PageQueryDto, DateRangeQueryDto) {}

/** `from` after `to` is a 422 at `from`. */
export function checkDateRange(range: { from?: string; to?: string }): void {
  if (range.from !== undefined && range.to !== undefined && range.from > range.to) {
    throw unprocessable([
      { loc: ['query', 'from'], msg: `from (${range.from}) must not be after to (${range.to})`, type: 'value_error' },
    ]);
  }
}

/** The condition on a date column for the range (both ends inclusive; undefined without bounds); `from` after `to` is a 422. */
export function withinDateRange(range: { from?: string; to?: string }): FindOperator<string> | undefined {
  checkDateRange(range);
  if (range.from !== undefined && range.to !== undefined) {
    return Between(range.from, range.to);
  }
  if (range.from !== undefined) {
    return MoreThanOrEqual(range.from);
  }
  return range.to !== undefined ? LessThanOrEqual(range.to) : undefined;
}
