import { Body, Controller, Get, HttpStatus, Post, Query, Res } from '@nestjs/common';
import {
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { Audit } from '../audit/audit.decorators';
import { DateParam } from '../common/date-param';
import { BearerAuth, CurrentUser, Operation } from '../common/decorators';
import { ErrorResponseDto } from '../common/error-response.dto';
import { UuidParam } from '../common/id-param';
import { PageQueryDto } from '../common/paging';
import { MISSION_NOT_FOUND } from '../missions/missions.service';
import { RateLimit } from '../rate-limit/rate-limit.decorator';
import type { User } from '../users/user.entity';
import { CoachRunsService } from './coach-runs.service';
import { CoachRunResponseDto, toCoachRunResponse } from './dto/coach-run-response.dto';
import { CreateCoachRunDto } from './dto/create-coach-run.dto';

@ApiTags('coach')
@BearerAuth()
@Controller('missions')
export class CoachRunsController {
  constructor(private readonly runs: CoachRunsService) {}

  @Audit('coach_run.list', { resource: 'mission' })
  @Get(':id/runs')
  @Operation({
    id: 'listCoachRuns',
    summary: "A mission's daily briefings",
    description: 'The coach runs of your mission, newest date first (a JSON array; skip and limit as every list).',
  })
  @ApiOkResponse({ type: [CoachRunResponseDto] })
  @ApiNotFoundResponse({ description: MISSION_NOT_FOUND, type: ErrorResponseDto })
  @ApiForbiddenResponse({ description: "Another user's mission", type: ErrorResponseDto })
  async list(
    @CurrentUser() user: User,
    @UuidParam('id', 'mission_not_found') id: string,
    @Query() page: PageQueryDto,
  ): Promise<CoachRunResponseDto[]> {
    return (await this.runs.list(user, id, page.skip, page.limit)).map(toCoachRunResponse);
  }

  @Audit('coach_run.get', { resource: 'mission' })
  @Get(':id/runs/:date')
  @Operation({
    id: 'getCoachRun',
    summary: "A mission's briefing of one date",
    description: "The coach run of your mission for a date in the mission's time zone; 404 when there is none.",
  })
  @ApiOkResponse({ type: CoachRunResponseDto })
  @ApiNotFoundResponse({ description: 'Unknown mission, or no briefing for this date', type: ErrorResponseDto })
  @ApiForbiddenResponse({ description: "Another user's mission", type: ErrorResponseDto })
  async get(
    @CurrentUser() user: User,
    @UuidParam('id', 'mission_not_found') id: string,
    @DateParam('date') date: string,
  ): Promise<CoachRunResponseDto> {
    return toCoachRunResponse(await this.runs.get(user, id, date));
  }

  @Audit('coach_run.create', { resource: 'mission' })
  @RateLimit('coach-run')
  @Post(':id/runs')
  @Operation({
    id: 'createCoachRun',
    summary: "Today's briefing now",
    description:
      'Makes today\'s run (today in the mission\'s time zone) if there is none yet: 201 with the new run, or 200 with the existing one. With {"regenerate": true} the existing run is replaced: 201 with a new id. The model writes the plan and the rules overrule it; when the model fails or is not configured the rules alone write it (status fallback). Rate-limited like mission drafts.',
  })
  @ApiBody({ type: CreateCoachRunDto, required: false })
  @ApiCreatedResponse({ type: CoachRunResponseDto, description: 'A new run' })
  @ApiOkResponse({ type: CoachRunResponseDto, description: "Today's existing run" })
  @ApiNotFoundResponse({ description: MISSION_NOT_FOUND, type: ErrorResponseDto })
  @ApiForbiddenResponse({ description: "Another user's mission", type: ErrorResponseDto })
  @ApiConflictResponse({ description: 'The mission is not in TRAINING or EVENT_ACTIVE', type: ErrorResponseDto })
  async create(
    @CurrentUser() user: User,
    @UuidParam('id', 'mission_not_found') id: string,
    @Body() dto: CreateCoachRunDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CoachRunResponseDto> {
    const { run, created } = await this.runs.runToday(user, id, dto.regenerate ?? false);
    res.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    return toCoachRunResponse(run);
  }
}
