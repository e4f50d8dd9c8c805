import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';
import { OptionalNotNull } from '../../common/validation';

/** What an admin may change on an account; any other field is refused (422). */
export class UpdateUserDto {
  @ApiPropertyOptional({ description: 'false deactivates the account and revokes all its sessions at once' })
  @OptionalNotNull()
  @IsBoolean()
  is_active?: boolean;

  @ApiPropertyOptional()
  @OptionalNotNull()
  @IsBoolean()
  is_admin?: boolean;
}
