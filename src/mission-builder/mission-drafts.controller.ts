import { Body, Controller, HttpStatus, Post, Res } from '@nestjs/common';
import {
  ApiBadGatewayResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { BearerAuth, CurrentUser, Operation } from '../common/decorators';
import { Audit } from '../audit/audit.decorators';
import { RateLimit } from '../rate-limit/rate-limit.decorator';
import type { User } from '../users/user.entity';
import { CreateMissionDraftDto } from './dto/create-mission-draft.dto';
import { MissionDraftResponseDto, toMissionDraftResponse } from './dto/mission-draft-response.dto';
import { MissionResponseDto, toMissionResponse } from '../missions/dto/mission-response.dto';
import { DRAFT_NOT_FOUND, MissionDraftsService } from './mission-drafts.service';
import { UuidParam } from '../common/id-param';
import { ErrorResponseDto } from '../common/error-response.dto';

@ApiTags('mission builder')
@BearerAuth()
@Controller('missions/draft')
export class MissionDraftsController {
  constructor(private readonly drafts: MissionDraftsService) {}

  @Audit('mission.draft', { resource: 'mission_draft' })
  @RateLimit('draft')
  @Post()
  @Operation({
    id: 'createMissionDraft',
    summary: 'Draft a mission with the LLM',
    description:
      'The draft is not a mission: it is kept as a pending draft for MISSION_DRAFT_TTL_HOURS and becomes a mission only when confirmed. Facts from the questionnaire (event date, mission type, notification preferences, weekly hours cap) override the model.',
  })
  @ApiCreatedResponse({ type: MissionDraftResponseDto })
  @ApiBadGatewayResponse({
    type: ErrorResponseDto,
    description: 'The LLM failed (twice an invalid draft, an upstream error or timeout, or no API key)',
  })
  async create(@CurrentUser() user: User, @Body() dto: CreateMissionDraftDto): Promise<MissionDraftResponseDto> {
    return toMissionDraftResponse(await this.drafts.create(user, dto));
  }

  @Audit('mission.draft_confirm', { resource: 'mission' })
  @Post(':draft_id/confirm')
  @Operation({
    id: 'confirmMissionDraft',
    summary: 'Confirm a mission draft',
    description:
      'Turns your pending draft into a mission (state PREP), once; confirming it again answers the same mission.',
  })
  @ApiCreatedResponse({ type: MissionResponseDto, description: 'The mission created from the draft' })
  @ApiOkResponse({ type: MissionResponseDto, description: 'The draft was already confirmed: the same mission' })
  @ApiNotFoundResponse({ description: DRAFT_NOT_FOUND, type: ErrorResponseDto })
  @ApiForbiddenResponse({ description: "Another user's draft", type: ErrorResponseDto })
  async confirm(
    @CurrentUser() user: User,
    @UuidParam('draft_id', 'draft_not_found') draftId: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<MissionResponseDto> {
    const { mission, created } = await this.drafts.confirm(user, draftId);
    res.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    return toMissionResponse(mission);
  }
}
