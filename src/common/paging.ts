import type { Type } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ValidateBy } from 'class-validator';

export const MAX_LIMIT = 100;
/** Far beyond any table here, and small enough for every engine's OFFSET. */
export const MAX_SKIP = 2_147_483_647;

/** Query strings are text: only a plain decimal integer becomes a number, anything else fails validation. */
export const toInteger = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d{1,16}$/.test(value) ? Number(value) : value;

/** An integer in [min, max], with one message whatever is wrong (not a number, a fraction, out of range). */
export function IntInRange(min: number, max: number): PropertyDecorator {
  return ValidateBy({
    name: 'int_range',
    constraints: [min, max],
    validator: {
      validate: (value: unknown) => Number.isInteger(value) && (value as number) >= min && (value as number) <= max,
      defaultMessage: (args) => `${args?.property ?? 'value'} must be an integer from ${min} to ${max}`,
    },
  });
}

/** `skip` (>= 0) and `limit` (1-100, default 100), as every list takes them; out of range -> 422. */
export class PageQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 0, default: 0, description: 'How many items to skip' })
  @Transform(toInteger)
  @IntInRange(0, MAX_SKIP)
  skip: number = 0;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_LIMIT,
    default: MAX_LIMIT,
    description: 'At most this many items',
  })
  @Transform(toInteger)
  @IntInRange(1, MAX_LIMIT)
  limit: number = MAX_LIMIT;
}

/** A page of a list: `{items, total, skip, limit}`. */
export interface Page<T> {
  items: T[];
  total: number;
  skip: number;
  limit: number;
}

/** The page DTO of a list of `item`s (`class UserPageDto extends PageDto(UserResponseDto, 'users') {}`). */
export function PageDto<T>(item: Type<T>, what: string): Type<Page<T>> {
  class PageOf implements Page<T> {
    @ApiProperty({ type: [item] })
    items!: T[];

    @ApiProperty({ type: 'integer', example: 1, description: `How many ${what} match, over all pages` })
    total!: number;

    @ApiProperty({ type: 'integer', example: 0 })
    skip!: number;

    @ApiProperty({ type: 'integer', example: 100 })
    limit!: number;
  }
  return PageOf;
}
