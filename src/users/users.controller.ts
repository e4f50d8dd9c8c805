import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Audit, BearerAuth, CurrentUser } from '../common/decorators';
import { toUserResponse, UserResponseDto } from './dto/user-response.dto';
import type { User } from './user.entity';

@ApiTags('users')
@BearerAuth()
@Controller('users')
export class UsersController {
  @Audit('user.me', { resource: 'user' })
  @Get('me')
  @ApiOkResponse({ type: UserResponseDto })
  me(@CurrentUser() user: User): UserResponseDto {
    return toUserResponse(user);
  }
}
