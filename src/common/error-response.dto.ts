import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { ERROR_CODES, type ErrorCode } from './error-codes';

/** The body of every error but 422 (what the exception filter answers). */
@ApiSchema({ name: 'ErrorResponse', description: 'The body of every error but 422: one human-readable message' })
export class ErrorResponseDto {
  // No example here: one shared sentence would show on every operation's errors (it read "Mission not found" on /metrics).
  @ApiProperty({ description: 'What went wrong, in one human-readable sentence' })
  detail!: string;

  @ApiProperty({
    enum: ERROR_CODES,
    enumName: 'ErrorCode',
    description: 'What went wrong, for programs: stable, snake_case; branch on this, never on `detail`',
  })
  code!: ErrorCode;
}

/** The body of a 422: one `{loc, msg, type}` item per problem. */
@ApiSchema({
  name: 'ValidationErrorResponse',
  description: 'The body of a 422: one item per problem, `loc` being the path to the field',
})
export class ValidationErrorResponseDto {
  @ApiProperty({
    type: 'array',
    items: {
      type: 'object',
      properties: {
        loc: {
          type: 'array',
          items: { anyOf: [{ type: 'string' }, { type: 'integer' }] },
          example: ['body', 'weekly_hours', 'max'],
        },
        msg: { type: 'string', example: 'max must be greater than or equal to min' },
        type: { type: 'string', example: 'is_at_least_property', description: 'The broken rule, snake_case' },
      },
      required: ['loc', 'msg', 'type'],
    },
  })
  detail!: { loc: (string | number)[]; msg: string; type: string }[];

  @ApiProperty({ enum: ['validation_failed'], description: 'Always `validation_failed` for a 422' })
  code!: 'validation_failed';
}
