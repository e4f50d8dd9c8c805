import { Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AdminOnly, BearerAuth, Operation } from '../common/decorators';
import { Audit } from '../audit/audit.decorators';
import { TransitionJobResultDto } from './dto/transition-mission.dto';
import { MissionTransitionsService } from './mission-transitions.service';

@ApiTags('jobs')
@BearerAuth()
@Controller('jobs')
export class MissionJobsController {
  constructor(private readonly transitions: MissionTransitionsService) {}

  @AdminOnly()
  @Audit('jobs.check_mission_transitions', { resource: 'mission' })
  @Post('check-mission-transitions')
  @Operation({
    id: 'checkMissionTransitions',
    summary: 'Admin only: apply the due mission transitions',
    description:
      "Admin only: what the background scheduler runs. TRAINING -> EVENT_ACTIVE once event_start_date has come, EVENT_ACTIVE -> MISSION_COMPLETE once event_end_date has passed, today being the date in each mission's time zone. PREP never moves.",
  })
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: TransitionJobResultDto })
  async checkMissionTransitions(): Promise<TransitionJobResultDto> {
    const transitions = await this.transitions.runDueTransitions();
    return { status: 'success', transitions_performed: transitions.length, transitions };
  }
}
