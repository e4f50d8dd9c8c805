import { Controller, Delete, Get, HttpCode, HttpStatus, Post, Query, Res } from '@nestjs/common';
import {
  ApiBadGatewayResponse,
  ApiBadRequestResponse,
  ApiFoundResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { Audit } from '../audit/audit.decorators';
import { BearerAuth, CurrentUser, Public, Operation } from '../common/decorators';
import type { User } from '../users/user.entity';
import { ConnectionsService } from './connections.service';
import { DisconnectQueryDto, StravaCallbackQueryDto } from './dto/connection-queries.dto';
import { AuthorizeResponseDto, ConnectionResponseDto, toConnectionResponse } from './dto/connection-response.dto';
import { ErrorResponseDto } from '../common/error-response.dto';

@ApiTags('connections')
@Controller('connections')
export class ConnectionsController {
  constructor(private readonly connections: ConnectionsService) {}

  @BearerAuth()
  @Audit('connection.list', { resource: 'connection' })
  @Get()
  @Operation({
    id: 'listConnections',
    summary: 'Your connections',
    description: 'Your connections to other services (Strava); never a token.',
  })
  @ApiOkResponse({ type: [ConnectionResponseDto] })
  async list(@CurrentUser() user: User): Promise<ConnectionResponseDto[]> {
    return (await this.connections.list(user)).map(toConnectionResponse);
  }

  @BearerAuth()
  @Audit('connection.strava.authorize', { resource: 'connection' })
  @Post('strava/authorize')
  @Operation({
    id: 'authorizeStrava',
    summary: 'Start connecting Strava',
    description: "Answers the URL of Strava's consent page, with a signed one-time state bound to you.",
  })
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: AuthorizeResponseDto })
  @ApiServiceUnavailableResponse({ description: 'Strava is not configured on this server', type: ErrorResponseDto })
  async authorize(@CurrentUser() user: User): Promise<AuthorizeResponseDto> {
    return { authorize_url: await this.connections.authorizeUrl(user) };
  }

  @Public()
  @Audit('connection.strava.callback', { resource: 'connection' })
  @Get('strava/callback')
  @Operation({
    id: 'completeStravaAuthorization',
    summary: 'Strava authorization callback',
    description:
      'Where Strava sends the browser back: checks the state and the scope, stores the tokens (sealed) and starts the import.',
  })
  @ApiOkResponse({ type: ConnectionResponseDto, description: 'Connected (STRAVA_SUCCESS_REDIRECT unset)' })
  @ApiFoundResponse({ description: 'Connected: redirect to STRAVA_SUCCESS_REDIRECT' })
  @ApiBadRequestResponse({
    description: 'Forged, expired or reused state; declined; activity scope not granted',
    type: ErrorResponseDto,
  })
  @ApiBadGatewayResponse({ description: 'Strava could not be reached', type: ErrorResponseDto })
  @ApiServiceUnavailableResponse({ description: 'Strava is not configured on this server', type: ErrorResponseDto })
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
  @Operation({
    id: 'disconnectStrava',
    summary: 'Disconnect Strava',
    description:
      'Deauthorizes at Strava, deletes the tokens, and keeps the imported activities unless delete_activities is true.',
  })
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({ description: 'Disconnected' })
  @ApiNotFoundResponse({ description: 'Connection not found', type: ErrorResponseDto })
  disconnect(@CurrentUser() user: User, @Query() query: DisconnectQueryDto): Promise<void> {
    return this.connections.disconnect(user, query.delete_activities);
  }
}
