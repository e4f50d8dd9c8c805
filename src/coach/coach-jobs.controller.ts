import { Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Audit } from '../audit/audit.decorators';
import { AdminOnly, BearerAuth, Operation } from '../common/decorators';
import { CoachDueService } from './coach-due.service';
import { CoachRunsJobResultDto } from './dto/coach-run-response.dto';

@ApiTags('jobs')
@BearerAuth()
@Controller('jobs')
export class CoachJobsController {
  constructor(private readonly due: CoachDueService) {}

  @AdminOnly()
  @Audit('jobs.coach_runs', { resource: 'coach_run' })
  @Post('coach-runs')
  @Operation({
    id: 'runCoachRuns',
    summary: 'Admin only: make every briefing that is due now',
    description:
      'Admin only: what the background scheduler does. Every mission in TRAINING or EVENT_ACTIVE whose local time has reached COACH_BRIEFING_HOUR and that has no run for its local date gets one now (COACH_CONCURRENCY at a time); runs_created counts the runs this call made.',
  })
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: CoachRunsJobResultDto })
  async runCoachRuns(): Promise<CoachRunsJobResultDto> {
    return { status: 'success', runs_created: await this.due.makeDueRuns() };
  }
}
