import { Body, Controller, Get, HttpCode, HttpStatus, Patch, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { AdminOnly, BearerAuth, CurrentSessionId, CurrentUser, Operation } from '../common/decorators';
import { Audit } from '../audit/audit.decorators';
import { IntIdParam } from '../common/id-param';
import { RateLimit } from '../rate-limit/rate-limit.decorator';
import { AccountsService } from './accounts.service';
import { ChangePasswordDto } from './dto/change-password.dto';
import { ListUsersQueryDto } from './dto/list-users-query.dto';
import { UpdateUserDto } from './dto/update-user.dto';
import { toUserPage, toUserResponse, UserPageDto, UserResponseDto } from './dto/user-response.dto';
import type { User } from './user.entity';
import { UsersService } from './users.service';

const USER_NOT_FOUND = 'User not found';

@ApiTags('users')
@BearerAuth()
@Controller('users')
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly accounts: AccountsService,
  ) {}

  @Audit('user.me', { resource: 'user' })
  @Get('me')
  @Operation({
    id: 'getCurrentUser',
    summary: 'Your user',
    description: 'The account of the access token in use: id, email, is_active, is_admin, email_verified, created_at.',
  })
  @ApiOkResponse({ type: UserResponseDto })
  me(@CurrentUser() user: User): UserResponseDto {
    return toUserResponse(user);
  }

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
  @ApiBadRequestResponse({ description: 'Current password is incorrect' })
  changePassword(
    @CurrentUser() user: User,
    @CurrentSessionId() sessionId: number,
    @Body() dto: ChangePasswordDto,
  ): Promise<void> {
    return this.accounts.changePassword(user, sessionId, dto.current_password, dto.new_password);
  }

  @AdminOnly()
  @Audit('user.list', { resource: 'user' })
  @Get()
  @Operation({
    id: 'listUsers',
    summary: 'Admin only: list users',
    description:
      'Admin only: users in id order, a page at a time, optionally filtered by email (case-insensitive substring).',
  })
  @ApiOkResponse({ type: UserPageDto })
  async list(@Query() query: ListUsersQueryDto): Promise<UserPageDto> {
    return toUserPage(await this.users.list({ email: query.email }, query.skip, query.limit));
  }

  @AdminOnly()
  @Audit('user.get', { resource: 'user' })
  @Get(':id')
  @Operation({ id: 'getUser', summary: 'Admin only: get a user', description: 'Admin only: one user by id.' })
  @ApiOkResponse({ type: UserResponseDto })
  @ApiNotFoundResponse({ description: USER_NOT_FOUND })
  async get(@IntIdParam(USER_NOT_FOUND) id: number): Promise<UserResponseDto> {
    return toUserResponse(await this.users.findById(id));
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
  @ApiBadRequestResponse({ description: 'You cannot deactivate or demote your own account' })
  @ApiNotFoundResponse({ description: USER_NOT_FOUND })
  async update(
    @CurrentUser() admin: User,
    @IntIdParam(USER_NOT_FOUND) id: number,
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
