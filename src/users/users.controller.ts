import { Controller, Get, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AdminOnly, BearerAuth, CurrentUser, Operation } from '../common/decorators';
import { Audit } from '../audit/audit.decorators';
import { IntIdParam } from '../common/id-param';
import { ListUsersQueryDto } from './dto/list-users-query.dto';
import { toUserPage, toUserResponse, UserPageDto, UserResponseDto } from './dto/user-response.dto';
import type { User } from './user.entity';
import { UsersService } from './users.service';
import { ErrorResponseDto } from '../common/error-response.dto';

const USER_NOT_FOUND = 'User not found';

/** Reading accounts; changes that reach sessions (password, admin updates) are in account/. */
@ApiTags('users')
@BearerAuth()
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

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
  @ApiNotFoundResponse({ description: USER_NOT_FOUND, type: ErrorResponseDto })
  async get(@IntIdParam('user_not_found') id: number): Promise<UserResponseDto> {
    return toUserResponse(await this.users.findById(id));
  }
}
