import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';

/** What an admin may change on an account; any other field is refused (422). */
export class UpdateUserDto {
  @ApiPropertyOptional({ description: 'false deactivates the account and revokes all its sessions at once' })
  @IsOptional()
  @IsBoolean()
  is_active?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  is_admin?: boolean;
}
