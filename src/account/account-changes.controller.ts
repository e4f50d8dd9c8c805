import { Body, Controller, HttpCode, HttpStatus, Patch } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Audit } from '../audit/audit.decorators';
import { AdminOnly, BearerAuth, CurrentSessionId, CurrentUser, Operation } from '../common/decorators';
import { IntIdParam } from '../common/id-param';
import { RateLimit } from '../rate-limit/rate-limit.decorator';
import { toUserResponse, UserResponseDto } from '../users/dto/user-response.dto';
import type { User } from '../users/user.entity';
import { AccountsService } from './accounts.service';
import { ChangePasswordDto } from './dto/change-password.dto';
import { UpdateUserDto } from './dto/update-user.dto';
import { ErrorResponseDto } from '../common/error-response.dto';

const USER_NOT_FOUND = 'User not found';

/** Changes to an account whose effect reaches its sessions and second factor (reading /users is in users/). */
@ApiTags('users')
@BearerAuth()
@Controller('users')
export class AccountChangesController {
  constructor(private readonly accounts: AccountsService) {}

  // A wrong current password counts as a failed login for the account and the address.
  @Audit('user.password_change', { resource: 'user' })
  @RateLimit('login-account', 'login-address')
  @Patch('me/password')
  @Operation({
    id: 'changePassword',
    summary: 'Change your password',
    description:
      'Needs the current password (wrong: 400). Every other session of yours is revoked; this one stays valid. Failed attempts count against the login limits.',
  })
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({ description: 'Password changed' })
  @ApiBadRequestResponse({ description: 'Current password is incorrect', type: ErrorResponseDto })
  changePassword(
    @CurrentUser() user: User,
    @CurrentSessionId() sessionId: number,
    @Body() dto: ChangePasswordDto,
  ): Promise<void> {
    return this.accounts.changePassword(user, sessionId, dto.current_password, dto.new_password);
  }

  @AdminOnly()
  @Audit('user.update', { resource: 'user' })
  @Patch(':id')
  @Operation({
    id: 'updateUser',
    summary: 'Admin only: activate, deactivate, promote or demote a user',
    description:
      'Admin only. Deactivating revokes every session of that user at once; an admin cannot deactivate or demote themselves (400).',
  })
  @ApiOkResponse({ type: UserResponseDto })
  @ApiBadRequestResponse({ description: 'You cannot deactivate or demote your own account', type: ErrorResponseDto })
  @ApiNotFoundResponse({ description: USER_NOT_FOUND, type: ErrorResponseDto })
  async update(
    @CurrentUser() admin: User,
    @IntIdParam('user_not_found') id: number,
    @Body() dto: UpdateUserDto,
  ): Promise<UserResponseDto> {
    return toUserResponse(
      await this.accounts.updateByAdmin(admin, id, {
        isActive: dto.is_active,
        isAdmin: dto.is_admin,
        mfaEnabled: dto.mfa_enabled,
      }),
    );
  }
}
