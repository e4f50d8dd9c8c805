import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { IsAtLeastProperty } from '../questionnaire.validators';

export class WeeklyHoursDto {
  @ApiProperty({
    type: 'integer',
    minimum: 1,
    maximum: 40,
    example: 8,
    description: 'Fewest hours a week, integer 1-40',
  })
  @IsInt()
  @Min(1)
  @Max(40)
  min!: number;

  @ApiProperty({
    type: 'integer',
    minimum: 1,
    maximum: 40,
    example: 12,
    description: 'Most hours a week, integer 1-40, at least `min`',
  })
  @IsInt()
  @Min(1)
  @Max(40)
  @IsAtLeastProperty('min')
  max!: number;
}
