import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Patch, Post, Query } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { DateRangePageQueryDto } from '../common/date-range-query';
import { Audit } from '../audit/audit.decorators';
import { BearerAuth, CurrentUser } from '../common/decorators';
import { UuidParam } from '../missions/uuid-param';
import type { User } from '../users/user.entity';
import { ACTIVITY_NOT_FOUND, ActivitiesService, NO_STREAMS } from './activities.service';
import { ActivityResponseDto, toActivityResponse } from './dto/activity-response.dto';
import { ActivityStreamsResponseDto, toActivityStreamsResponse } from './dto/activity-streams-response.dto';
import { CreateActivityDto } from './dto/create-activity.dto';
import { UpdateActivityDto } from './dto/update-activity.dto';

@ApiTags('activities')
@BearerAuth()
@Controller('activities')
export class ActivitiesController {
  constructor(private readonly activities: ActivitiesService) {}

  @Audit('activity.create', { resource: 'activity' })
  @Post()
  @ApiOperation({ summary: 'Record an activity by hand (never a duplicate; no streams)' })
  @ApiCreatedResponse({ type: ActivityResponseDto })
  async create(@CurrentUser() user: User, @Body() dto: CreateActivityDto): Promise<ActivityResponseDto> {
    return toActivityResponse(await this.activities.createManual(user, dto));
  }

  @Audit('activity.list', { resource: 'activity' })
  @Get()
  @ApiOperation({ summary: 'Your activities, newest first (from/to inclusive, on local_date); no streams' })
  @ApiOkResponse({ type: [ActivityResponseDto] })
  async list(@CurrentUser() user: User, @Query() query: DateRangePageQueryDto): Promise<ActivityResponseDto[]> {
    return (await this.activities.list(user, query)).map(toActivityResponse);
  }

  @Audit('activity.get', { resource: 'activity' })
  @Get(':id')
  @ApiOperation({ summary: 'One of your activities' })
  @ApiOkResponse({ type: ActivityResponseDto })
  @ApiNotFoundResponse({ description: ACTIVITY_NOT_FOUND })
  async get(@CurrentUser() user: User, @UuidParam('id', ACTIVITY_NOT_FOUND) id: string): Promise<ActivityResponseDto> {
    return toActivityResponse(await this.activities.findOwned(user, id));
  }

  @Audit('activity.update', { resource: 'activity' })
  @Patch(':id')
  @ApiOperation({ summary: 'Rename, change sport or notes, or override the TSS (null: back to the computed one)' })
  @ApiOkResponse({ type: ActivityResponseDto })
  @ApiNotFoundResponse({ description: ACTIVITY_NOT_FOUND })
  @ApiConflictResponse({ description: 'The new sport makes it a duplicate of another upload' })
  async update(
    @CurrentUser() user: User,
    @UuidParam('id', ACTIVITY_NOT_FOUND) id: string,
    @Body() dto: UpdateActivityDto,
  ): Promise<ActivityResponseDto> {
    return toActivityResponse(await this.activities.update(user, id, dto));
  }

  @Audit('activity.delete', { resource: 'activity' })
  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete an activity and its streams' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiNotFoundResponse({ description: ACTIVITY_NOT_FOUND })
  remove(@CurrentUser() user: User, @UuidParam('id', ACTIVITY_NOT_FOUND) id: string): Promise<void> {
    return this.activities.remove(user, id);
  }

  @Audit('activity.streams', { resource: 'activity' })
  @Get(':id/streams')
  @ApiOperation({ summary: "An uploaded activity's samples as recorded (arrays of equal length)" })
  @ApiOkResponse({ type: ActivityStreamsResponseDto })
  @ApiNotFoundResponse({ description: `${ACTIVITY_NOT_FOUND}, or: ${NO_STREAMS}` })
  async streams(
    @CurrentUser() user: User,
    @UuidParam('id', ACTIVITY_NOT_FOUND) id: string,
  ): Promise<ActivityStreamsResponseDto> {
    return toActivityStreamsResponse(await this.activities.streamsOf(user, id));
  }
}
