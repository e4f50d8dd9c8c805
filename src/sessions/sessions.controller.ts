import { Controller, Delete, Get, HttpCode, HttpStatus, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { BearerAuth, CurrentSessionId, CurrentUser } from '../common/decorators';
import { Audit } from '../audit/audit.decorators';
import { IntIdParam } from '../common/id-param';
import { PageQueryDto } from '../common/paging';
import type { User } from '../users/user.entity';
import { SessionResponseDto, toSessionResponse } from './dto/session-response.dto';
import { SessionsService } from './sessions.service';

const SESSION_NOT_FOUND = 'Session not found';

@ApiTags('sessions')
@BearerAuth()
@Controller('sessions')
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @Audit('session.list', { resource: 'session' })
  @Get()
  @ApiOperation({ summary: 'Your sessions (one per login, as of its latest refresh), newest first' })
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
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Revoke one of your sessions (its whole login: the tokens of every refresh of it)' })
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiNotFoundResponse({ description: `${SESSION_NOT_FOUND} (unknown, or someone else's)` })
  revoke(@CurrentUser() user: User, @IntIdParam(SESSION_NOT_FOUND) id: number): Promise<void> {
    return this.sessions.revokeOwned(user.id, id);
  }
}
