import { Controller, Get } from '@nestjs/common';
import { ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Audit } from '../audit/audit.decorators';
import { BearerAuth, CurrentUser, Operation } from '../common/decorators';
import { MISSION_NOT_FOUND } from '../missions/missions.service';
import { UuidParam } from '../common/id-param';
import type { User } from '../users/user.entity';
import { MissionProgressResponseDto } from './dto/mission-progress-response.dto';
import { MissionProgressService } from './mission-progress.service';
import { ErrorResponseDto } from '../common/error-response.dto';

@ApiTags('missions')
@BearerAuth()
@Controller('missions')
export class MissionProgressController {
  constructor(private readonly progress: MissionProgressService) {}

  @Audit('mission.progress', { resource: 'mission' })
  @Get(':id/progress')
  @Operation({
    id: 'getMissionProgress',
    summary: 'Mission progress',
    description:
      "A mission's phase, and its scored days and weeks from its prep start to today (in the mission's time zone).",
  })
  @ApiOkResponse({ type: MissionProgressResponseDto })
  @ApiNotFoundResponse({ description: MISSION_NOT_FOUND, type: ErrorResponseDto })
  @ApiForbiddenResponse({ description: "Another user's mission", type: ErrorResponseDto })
  get(
    @CurrentUser() user: User,
    @UuidParam('id', 'mission_not_found') id: string,
  ): Promise<MissionProgressResponseDto> {
    return this.progress.progress(user, id);
  }
}
