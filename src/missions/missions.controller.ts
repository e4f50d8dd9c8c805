import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Post, Put, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { BearerAuth, CurrentUser, Operation } from '../common/decorators';
import { Audit } from '../audit/audit.decorators';
import { PageQueryDto } from '../common/paging';
import type { User } from '../users/user.entity';
import { CreateMissionDto } from './dto/create-mission.dto';
import { MissionResponseDto, toMissionResponse } from './dto/mission-response.dto';
import { TransitionMissionDto } from './dto/transition-mission.dto';
import { UpdateMissionDto } from './dto/update-mission.dto';
import { MissionTransitionsService } from './mission-transitions.service';
import { MISSION_NOT_FOUND, MissionsService } from './missions.service';
import { UuidParam } from '../common/id-param';
import { ErrorResponseDto } from '../common/error-response.dto';

const OTHER_USERS_MISSION = "Another user's mission (admins included)";

@ApiTags('missions')
@BearerAuth()
@Controller('missions')
export class MissionsController {
  constructor(
    private readonly missions: MissionsService,
    private readonly transitions: MissionTransitionsService,
  ) {}

  @Audit('mission.list', { resource: 'mission' })
  @Get()
  @Operation({ id: 'listMissions', summary: 'Your missions', description: 'Oldest first.' })
  @ApiOkResponse({ type: [MissionResponseDto] })
  async list(@CurrentUser() user: User, @Query() page: PageQueryDto): Promise<MissionResponseDto[]> {
    return (await this.missions.list(user, page.skip, page.limit)).map(toMissionResponse);
  }

  @Audit('mission.create', { resource: 'mission' })
  @Post()
  @Operation({
    id: 'createMission',
    summary: 'Create a mission',
    description: 'The mission starts in state PREP. Dates are calendar dates in the mission time zone.',
  })
  @ApiCreatedResponse({ type: MissionResponseDto })
  @ApiBadRequestResponse({
    type: ErrorResponseDto,
    description: 'event_end_date before event_start_date, or prep_end_date not after prep_start_date',
  })
  async create(@CurrentUser() user: User, @Body() dto: CreateMissionDto): Promise<MissionResponseDto> {
    return toMissionResponse(await this.missions.create(user, dto));
  }

  @Audit('mission.get', { resource: 'mission' })
  @Get(':id')
  @Operation({
    id: 'getMission',
    summary: 'Get a mission',
    description: "One of your missions; another user's is a 403.",
  })
  @ApiOkResponse({ type: MissionResponseDto })
  @ApiNotFoundResponse({ description: MISSION_NOT_FOUND, type: ErrorResponseDto })
  @ApiForbiddenResponse({ description: OTHER_USERS_MISSION, type: ErrorResponseDto })
  async get(@CurrentUser() user: User, @UuidParam('id', 'mission_not_found') id: string): Promise<MissionResponseDto> {
    return toMissionResponse(await this.missions.findOwned(user, id));
  }

  @Audit('mission.update', { resource: 'mission' })
  @Put(':id')
  @Operation({
    id: 'updateMission',
    summary: 'Change a mission',
    description: 'Only the fields sent change; the state does not (see POST /missions/{id}/transition).',
  })
  @ApiOkResponse({ type: MissionResponseDto })
  @ApiBadRequestResponse({ description: 'The resulting dates break a date rule', type: ErrorResponseDto })
  @ApiNotFoundResponse({ description: MISSION_NOT_FOUND, type: ErrorResponseDto })
  @ApiForbiddenResponse({ description: OTHER_USERS_MISSION, type: ErrorResponseDto })
  async update(
    @CurrentUser() user: User,
    @UuidParam('id', 'mission_not_found') id: string,
    @Body() dto: UpdateMissionDto,
  ): Promise<MissionResponseDto> {
    return toMissionResponse(await this.missions.update(user, id, dto));
  }

  @Audit('mission.delete', { resource: 'mission' })
  @Delete(':id')
  @Operation({ id: 'deleteMission', summary: 'Delete a mission', description: 'Deletes one of your missions.' })
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiNotFoundResponse({ description: MISSION_NOT_FOUND, type: ErrorResponseDto })
  @ApiForbiddenResponse({ description: OTHER_USERS_MISSION, type: ErrorResponseDto })
  remove(@CurrentUser() user: User, @UuidParam('id', 'mission_not_found') id: string): Promise<void> {
    return this.missions.remove(user, id);
  }

  @Audit('mission.transition', { resource: 'mission' })
  @Post(':id/transition')
  @Operation({
    id: 'transitionMission',
    summary: 'Move a mission to another state',
    description:
      'PREP -> TRAINING -> EVENT_ACTIVE -> MISSION_COMPLETE; TRAINING -> PREP for admins only. A move the state machine does not allow is a 409.',
  })
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: MissionResponseDto })
  @ApiBadRequestResponse({
    description: 'Unknown target state (the message lists the valid ones)',
    type: ErrorResponseDto,
  })
  @ApiConflictResponse({
    type: ErrorResponseDto,
    description: "Same state, or a move the state machine does not allow (a non-admin's revert included)",
  })
  @ApiNotFoundResponse({ description: MISSION_NOT_FOUND, type: ErrorResponseDto })
  @ApiForbiddenResponse({ description: OTHER_USERS_MISSION, type: ErrorResponseDto })
  async transition(
    @CurrentUser() user: User,
    @UuidParam('id', 'mission_not_found') id: string,
    @Body() dto: TransitionMissionDto,
  ): Promise<MissionResponseDto> {
    return toMissionResponse(await this.transitions.transition(user, id, dto.target_state));
  }
}
