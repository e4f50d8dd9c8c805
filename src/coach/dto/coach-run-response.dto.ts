import { ApiProperty } from '@nestjs/swagger';
import { apiModel } from '../../common/api-model';
import { COACH_RUN_STATUSES, type CoachRun, type CoachRunStatus } from '../coach-run.entity';
import { RECOMMENDATION, type Recommendation } from '../recommendation.schema';

/** The recommendation's OpenAPI model, derived from its one declaration. */
const CoachRecommendationDto = apiModel(RECOMMENDATION);

const PHASES = ['base', 'build', 'peak', 'taper', 'event', 'complete'];

export class CoachRunLoadDto {
  @ApiProperty({ example: 62.1, description: 'Fitness: CTL of the day, as GET /training/load shows it' })
  ctl!: number;

  @ApiProperty({ example: 58.4, description: 'Fatigue: ATL of the day' })
  atl!: number;

  @ApiProperty({ example: 3.7, description: 'Form going into the day (TSB)' })
  tsb!: number;

  @ApiProperty({
    type: 'integer',
    nullable: true,
    example: 78,
    description: "The day's wellness readiness; null when none was recorded",
  })
  readiness!: number | null;
}

export class CoachRunResponseDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  mission_id!: string;

  @ApiProperty({ format: 'date', example: '2030-03-06', description: "The date in the mission's time zone" })
  date!: string;

  @ApiProperty({
    enum: COACH_RUN_STATUSES,
    description:
      'succeeded: the model wrote the plan (the rules may have changed it); fallback: the rules alone wrote it',
  })
  status!: CoachRunStatus;

  @ApiProperty({ enum: PHASES, example: 'build' })
  phase!: string;

  @ApiProperty({ type: CoachRunLoadDto })
  load!: CoachRunLoadDto;

  @ApiProperty({ type: CoachRecommendationDto })
  recommendation!: Recommendation;

  @ApiProperty({ type: 'string', nullable: true, example: 'gpt-4o-mini', description: 'null on a fallback run' })
  model_used!: string | null;

  @ApiProperty({ type: 'integer', minimum: 0, example: 900, description: 'Summed over every attempt of the run' })
  prompt_tokens!: number;

  @ApiProperty({ type: 'integer', minimum: 0, example: 150, description: 'Summed over every attempt of the run' })
  completion_tokens!: number;

  @ApiProperty({ format: 'date-time', example: '2030-03-06T05:00:01.123Z' })
  created_at!: string;
}

export function toCoachRunResponse(run: CoachRun): CoachRunResponseDto {
  return {
    id: run.id,
    mission_id: run.missionId,
    date: run.date,
    status: run.status,
    phase: run.phase,
    load: run.load,
    recommendation: run.recommendation,
    model_used: run.modelUsed,
    prompt_tokens: run.promptTokens,
    completion_tokens: run.completionTokens,
    created_at: run.createdAt.toISOString(),
  };
}

export class CoachRunsJobResultDto {
  @ApiProperty({ enum: ['success'] })
  status!: 'success';

  @ApiProperty({
    type: 'integer',
    minimum: 0,
    example: 3,
    description: 'Runs made by this call (runs that already existed are not counted)',
  })
  runs_created!: number;
}
