import { ApiProperty, ApiSchema } from '@nestjs/swagger';

/** The body of every error but 422 (what the exception filter answers). */
@ApiSchema({ name: 'ErrorResponse', description: 'The body of every error but 422: one human-readable message' })
export class ErrorResponseDto {
  // No example here: one shared sentence would show on every operation's errors (it read "Mission not found" on /metrics).
  @ApiProperty({ description: 'What went wrong, in one human-readable sentence' })
  detail!: string;
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
        type: { type: 'string', example: 'isAtLeastProperty' },
      },
      required: ['loc', 'msg', 'type'],
    },
  })
  detail!: { loc: (string | number)[]; msg: string; type: string }[];
}
