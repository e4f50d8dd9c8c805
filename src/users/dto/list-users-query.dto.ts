import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PRINTABLE } from '../../common/email';
import { PageQueryDto } from '../../common/paging';

export class ListUsersQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Case-insensitive substring of the email', example: 'example.com' })
  @IsOptional()
  @IsString()
  @MaxLength(254)
  @Matches(PRINTABLE, { message: 'email must not contain control characters' })
  email?: string;
}
