import { Controller, Get } from '@nestjs/common';
import { ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Audit } from '../audit/audit.decorators';
import { BearerAuth, CurrentUser } from '../common/decorators';
import { MISSION_NOT_FOUND } from '../missions/missions.service';
import { UuidParam } from '../missions/uuid-param';
import type { User } from '../users/user.entity';
import { MissionProgressResponseDto } from './dto/mission-progress-response.dto';
import { MissionProgressService } from './mission-progress.service';

@ApiTags('missions')
@BearerAuth()
@Controller('missions')
export class MissionProgressController {
  constructor(private readonly progress: MissionProgressService) {}

  @Audit('mission.progress', { resource: 'mission' })
  @Get(':id/progress')
  @ApiOperation({ summary: "A mission's phase, scored days and weeks, from its prep start to today" })
  @ApiOkResponse({ type: MissionProgressResponseDto })
  @ApiNotFoundResponse({ description: MISSION_NOT_FOUND })
  @ApiForbiddenResponse({ description: "Another user's mission" })
  get(@CurrentUser() user: User, @UuidParam('id', MISSION_NOT_FOUND) id: string): Promise<MissionProgressResponseDto> {
    return this.progress.progress(user, id);
  }
}
