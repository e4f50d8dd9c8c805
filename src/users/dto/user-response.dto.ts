import { ApiProperty } from '@nestjs/swagger';
import { PageDto, type Page } from '../../common/paging';
import type { User } from '../user.entity';

export class UserResponseDto {
  @ApiProperty({ type: 'integer', example: 1 })
  id!: number;

  @ApiProperty({ example: 'rider@example.com' })
  email!: string;

  @ApiProperty({ example: true })
  is_active!: boolean;

  @ApiProperty({ example: false })
  is_admin!: boolean;

  @ApiProperty({ example: '2025-11-13T04:26:27.968Z', format: 'date-time' })
  created_at!: string;

  @ApiProperty({ example: true, description: 'The address was confirmed through a mailed link' })
  email_verified!: boolean;

  @ApiProperty({ example: false, description: 'Two-factor authentication (TOTP) is on' })
  mfa_enabled!: boolean;
}

export class UserPageDto extends PageDto(UserResponseDto, 'users') {}

/** The only way a user leaves the API: never the password hash. */
export function toUserResponse(user: User): UserResponseDto {
  return {
    id: user.id,
    email: user.email,
    is_active: user.isActive,
    is_admin: user.isAdmin,
    created_at: user.createdAt.toISOString(),
    email_verified: user.emailVerified,
    mfa_enabled: user.mfaEnabled,
  };
}

export function toUserPage(page: Page<User>): UserPageDto {
  return { ...page, items: page.items.map(toUserResponse) };
}
