import { Controller, Delete, Get, HttpCode, HttpStatus, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { BearerAuth, CurrentSessionId, CurrentUser, Operation } from '../common/decorators';
import { Audit } from '../audit/audit.decorators';
import { IntIdParam } from '../common/id-param';
import { PageQueryDto } from '../common/paging';
import type { User } from '../users/user.entity';
import { SessionResponseDto, toSessionResponse } from './dto/session-response.dto';
import { SessionsService } from './sessions.service';
import { ErrorResponseDto } from '../common/error-response.dto';

const SESSION_NOT_FOUND = 'Session not found';

@ApiTags('sessions')
@BearerAuth()
@Controller('sessions')
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @Audit('session.list', { resource: 'session' })
  @Get()
  @Operation({
    id: 'listSessions',
    summary: 'Your sessions',
    description:
      'One per login, as of its latest refresh, newest first; `current` marks the session of the token in use. Never a token.',
  })
  @ApiOkResponse({ type: [SessionResponseDto] })
  async list(
    @CurrentUser() user: User,
    @CurrentSessionId() currentId: number,
    @Query() page: PageQueryDto,
  ): Promise<SessionResponseDto[]> {
    return (await this.sessions.listForUser(user.id, page.skip, page.limit)).map((s) =>
      toSessionResponse(s, currentId),
    );
  }

  @Audit('session.revoke', { resource: 'session' })
  @Delete(':id')
  @Operation({
    id: 'revokeSession',
    summary: 'Revoke a session',
    description:
      "Revokes one of your sessions: its whole login, the tokens of every refresh of it. Another user's session is a 404.",
  })
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiNotFoundResponse({ description: `${SESSION_NOT_FOUND} (unknown, or someone else's)`, type: ErrorResponseDto })
  revoke(@CurrentUser() user: User, @IntIdParam('session_not_found') id: number): Promise<void> {
    return this.sessions.revokeOwned(user.id, id);
  }
}
