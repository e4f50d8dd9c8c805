import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNumber, IsOptional, IsString, Length, Matches, Max, MaxLength, Min } from 'class-validator';
import { OptionalNotNull } from '../../common/validation';
import { NOT_BLANK } from '../../missions/dto/create-mission.dto';
import { SPORTS, type ActivitySport } from '../activity.entity';

/** `PATCH /activities/{id}`: only the fields sent change. */
export class UpdateActivityDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 255, example: 'Hill repeats' })
  @OptionalNotNull()
  @IsString()
  @Length(1, 255)
  @Matches(NOT_BLANK, { message: 'name must not be blank' })
  name?: string;

  @ApiPropertyOptional({ enum: SPORTS, example: 'ride' })
  @OptionalNotNull()
  @IsIn(SPORTS)
  sport?: ActivitySport;

  @ApiPropertyOptional({ type: 'string', maxLength: 1000, nullable: true, example: 'Felt strong' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  notes?: string | null;

  @ApiPropertyOptional({
    type: 'number',
    minimum: 0,
    maximum: 3000,
    nullable: true,
    example: 90,
    description: 'Overrides the computed TSS (tss_method manual); null goes back to the computed one',
  })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(3000)
  tss?: number | null;
}
