import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Patch, Post, Query } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { DateRangePageQueryDto } from '../common/date-range-query';
import { Audit } from '../audit/audit.decorators';
import { BearerAuth, CurrentUser, Operation } from '../common/decorators';
import { UuidParam } from '../common/id-param';
import type { User } from '../users/user.entity';
import { ACTIVITY_NOT_FOUND, ActivitiesService, NO_STREAMS } from './activities.service';
import { ActivityResponseDto, toActivityResponse } from './dto/activity-response.dto';
import { ActivityStreamsResponseDto, toActivityStreamsResponse } from './dto/activity-streams-response.dto';
import { CreateActivityDto } from './dto/create-activity.dto';
import { UpdateActivityDto } from './dto/update-activity.dto';
import { ErrorResponseDto } from '../common/error-response.dto';

@ApiTags('activities')
@BearerAuth()
@Controller('activities')
export class ActivitiesController {
  constructor(private readonly activities: ActivitiesService) {}

  @Audit('activity.create', { resource: 'activity' })
  @Post()
  @Operation({
    id: 'createActivity',
    summary: 'Record an activity by hand',
    description: 'A manual entry: never a duplicate of another activity, no streams.',
  })
  @ApiCreatedResponse({ type: ActivityResponseDto })
  async create(@CurrentUser() user: User, @Body() dto: CreateActivityDto): Promise<ActivityResponseDto> {
    return toActivityResponse(await this.activities.createManual(user, dto));
  }

  @Audit('activity.list', { resource: 'activity' })
  @Get()
  @Operation({
    id: 'listActivities',
    summary: 'Your activities',
    description: 'Newest first, without streams; from and to are inclusive, on local_date.',
  })
  @ApiOkResponse({ type: [ActivityResponseDto] })
  async list(@CurrentUser() user: User, @Query() query: DateRangePageQueryDto): Promise<ActivityResponseDto[]> {
    return (await this.activities.list(user, query)).map(toActivityResponse);
  }

  @Audit('activity.get', { resource: 'activity' })
  @Get(':id')
  @Operation({
    id: 'getActivity',
    summary: 'Get an activity',
    description: 'One of your activities, without its streams.',
  })
  @ApiOkResponse({ type: ActivityResponseDto })
  @ApiNotFoundResponse({ description: ACTIVITY_NOT_FOUND, type: ErrorResponseDto })
  async get(
    @CurrentUser() user: User,
    @UuidParam('id', 'activity_not_found') id: string,
  ): Promise<ActivityResponseDto> {
    return toActivityResponse(await this.activities.findOwned(user, id));
  }

  @Audit('activity.update', { resource: 'activity' })
  @Patch(':id')
  @Operation({
    id: 'updateActivity',
    summary: 'Change an activity',
    description: 'Rename, change the sport or notes, or override the TSS (null goes back to the computed one).',
  })
  @ApiOkResponse({ type: ActivityResponseDto })
  @ApiNotFoundResponse({ description: ACTIVITY_NOT_FOUND, type: ErrorResponseDto })
  @ApiConflictResponse({ description: 'The new sport makes it a duplicate of another upload', type: ErrorResponseDto })
  async update(
    @CurrentUser() user: User,
    @UuidParam('id', 'activity_not_found') id: string,
    @Body() dto: UpdateActivityDto,
  ): Promise<ActivityResponseDto> {
    return toActivityResponse(await this.activities.update(user, id, dto));
  }

  @Audit('activity.delete', { resource: 'activity' })
  @Delete(':id')
  @Operation({
    id: 'deleteActivity',
    summary: 'Delete an activity',
    description: 'Deletes the activity and its streams.',
  })
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiNotFoundResponse({ description: ACTIVITY_NOT_FOUND, type: ErrorResponseDto })
  remove(@CurrentUser() user: User, @UuidParam('id', 'activity_not_found') id: string): Promise<void> {
    return this.activities.remove(user, id);
  }

  @Audit('activity.streams', { resource: 'activity' })
  @Get(':id/streams')
  @Operation({
    id: 'getActivityStreams',
    summary: "An activity's streams",
    description:
      "An uploaded activity's samples as recorded: arrays of equal length, null for a channel the file does not have.",
  })
  @ApiOkResponse({ type: ActivityStreamsResponseDto })
  @ApiNotFoundResponse({ description: `${ACTIVITY_NOT_FOUND}, or: ${NO_STREAMS}`, type: ErrorResponseDto })
  async streams(
    @CurrentUser() user: User,
    @UuidParam('id', 'activity_not_found') id: string,
  ): Promise<ActivityStreamsResponseDto> {
    return toActivityStreamsResponse(await this.activities.streamsOf(user, id));
  }
}
