import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn } from 'class-validator';
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

  @ApiPropertyOptional({
    enum: [false],
    description:
      "false clears the user's two-factor authentication (secret and recovery codes); it cannot be turned on here",
  })
  @OptionalNotNull()
  @IsBoolean()
  @IsIn([false], { message: 'mfa_enabled can only be set to false' })
  mfa_enabled?: boolean;
}
