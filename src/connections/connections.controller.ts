import { Controller, Delete, Get, HttpCode, HttpStatus, Post, Query, Res } from '@nestjs/common';
import {
  ApiBadGatewayResponse,
  ApiBadRequestResponse,
  ApiFoundResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { Audit } from '../audit/audit.decorators';
import { BearerAuth, CurrentUser, Public } from '../common/decorators';
import type { User } from '../users/user.entity';
import { ConnectionsService } from './connections.service';
import { DisconnectQueryDto, StravaCallbackQueryDto } from './dto/connection-queries.dto';
import { AuthorizeResponseDto, ConnectionResponseDto, toConnectionResponse } from './dto/connection-response.dto';

@ApiTags('connections')
@Controller('connections')
export class ConnectionsController {
  constructor(private readonly connections: ConnectionsService) {}

  @BearerAuth()
  @Audit('connection.list', { resource: 'connection' })
  @Get()
  @ApiOperation({ summary: 'Your connections to other services (never a token)' })
  @ApiOkResponse({ type: [ConnectionResponseDto] })
  async list(@CurrentUser() user: User): Promise<ConnectionResponseDto[]> {
    return (await this.connections.list(user)).map(toConnectionResponse);
  }

  @BearerAuth()
  @Audit('connection.strava.authorize', { resource: 'connection' })
  @Post('strava/authorize')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: "Start connecting Strava: the URL of Strava's consent page, with a one-time state" })
  @ApiOkResponse({ type: AuthorizeResponseDto })
  @ApiServiceUnavailableResponse({ description: 'Strava is not configured on this server' })
  async authorize(@CurrentUser() user: User): Promise<AuthorizeResponseDto> {
    return { authorize_url: await this.connections.authorizeUrl(user) };
  }

  @Public()
  @Audit('connection.strava.callback', { resource: 'connection' })
  @Get('strava/callback')
  @ApiOperation({
    summary:
      'Where Strava sends the browser back: checks the state and the scope, stores the tokens, starts the import',
  })
  @ApiOkResponse({ type: ConnectionResponseDto, description: 'Connected (STRAVA_SUCCESS_REDIRECT unset)' })
  @ApiFoundResponse({ description: 'Connected: redirect to STRAVA_SUCCESS_REDIRECT' })
  @ApiBadRequestResponse({ description: 'Forged, expired or reused state; declined; activity scope not granted' })
  @ApiBadGatewayResponse({ description: 'Strava could not be reached' })
  @ApiServiceUnavailableResponse({ description: 'Strava is not configured on this server' })
  async callback(
    @Query() query: StravaCallbackQueryDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ConnectionResponseDto | undefined> {
    const { connection, redirectTo } = await this.connections.completeAuthorization(query);
    if (redirectTo) {
      res.status(HttpStatus.FOUND).location(redirectTo);
      return undefined;
    }
    return toConnectionResponse(connection);
  }

  @BearerAuth()
  @Audit('connection.strava.delete', { resource: 'connection' })
  @Delete('strava')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Disconnect Strava: deauthorizes there, deletes the tokens, keeps the activities unless asked',
  })
  @ApiNoContentResponse({ description: 'Disconnected' })
  @ApiNotFoundResponse({ description: 'Connection not found' })
  disconnect(@CurrentUser() user: User, @Query() query: DisconnectQueryDto): Promise<void> {
    return this.connections.disconnect(user, query.delete_activities);
  }
}
