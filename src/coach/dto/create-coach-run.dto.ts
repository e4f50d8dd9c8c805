import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';
import { BodyOptional } from '../../common/validation';

/** The body of POST /missions/{id}/runs; a bare POST is the same as `{}`. */
@BodyOptional()
export class CreateCoachRunDto {
  @ApiPropertyOptional({
    default: false,
    description: "true: replace today's run with a new one (a new id); otherwise an existing run is answered as it is",
  })
  @IsOptional()
  @IsBoolean()
  regenerate?: boolean = false;
}
