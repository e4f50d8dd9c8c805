import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { MISSION_STATES, type MissionState } from '../mission-state-machine';

/**
 * `POST /missions/{id}/transition`. Any string is accepted here on purpose: an unknown state is a 400
 * that lists the valid ones (the contract's rule), not a 422 from the schema.
 */
export class TransitionMissionDto {
  @ApiProperty({
    enum: MISSION_STATES,
    example: 'TRAINING',
    description: 'Unknown values answer 400 listing the valid states',
  })
  @IsString()
  @MaxLength(100)
  target_state!: string;
}

export class MissionTransitionDto {
  @ApiProperty({ format: 'uuid' })
  mission_id!: string;

  @ApiProperty({ example: 'Unbound Gravel 200' })
  mission_name!: string;

  @ApiProperty({ enum: MISSION_STATES, example: 'TRAINING' })
  old_state!: MissionState;

  @ApiProperty({ enum: MISSION_STATES, example: 'EVENT_ACTIVE' })
  new_state!: MissionState;

  @ApiProperty({ example: 'event_start_date 2030-06-01 reached (today is 2030-06-01 in Europe/Paris)' })
  reason!: string;
}

export class TransitionJobResultDto {
  @ApiProperty({ enum: ['success'], example: 'success' })
  status!: 'success';

  @ApiProperty({ type: 'integer', minimum: 0, example: 1 })
  transitions_performed!: number;

  @ApiProperty({ type: [MissionTransitionDto] })
  transitions!: MissionTransitionDto[];
}
