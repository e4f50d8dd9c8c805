import { ApiProperty } from '@nestjs/swagger';
import type { Mission } from '../mission.entity';
import { MISSION_STATES, type MissionState } from '../mission-state-machine';

const JSON_OBJECT = { type: 'object', additionalProperties: true } as const;

export class MissionResponseDto {
  @ApiProperty({ format: 'uuid', example: '3f0c9a56-2c1e-4d8e-9f4b-8a1d2b3c4d5e' })
  id!: string;

  @ApiProperty({ type: 'integer', example: 1 })
  user_id!: number;

  @ApiProperty({ example: 'Unbound Gravel 200' })
  name!: string;

  @ApiProperty({ example: 'gravel_ultra' })
  mission_type!: string;

  @ApiProperty({ type: 'string', format: 'date', example: '2030-06-01' })
  event_start_date!: string;

  @ApiProperty({ type: 'string', format: 'date', example: '2030-06-01' })
  event_end_date!: string;

  @ApiProperty({ type: 'string', format: 'date', nullable: true, example: '2030-02-01' })
  prep_start_date!: string | null;

  @ApiProperty({ type: 'string', format: 'date', nullable: true, example: null })
  prep_end_date!: string | null;

  @ApiProperty({ enum: MISSION_STATES, example: 'PREP' })
  state!: MissionState;

  @ApiProperty(JSON_OBJECT)
  points_schema!: object;

  @ApiProperty({ example: 'UTC', description: 'The canonical IANA name the zone was stored under' })
  timezone!: string;

  @ApiProperty({ ...JSON_OBJECT, nullable: true })
  constraints!: object | null;

  @ApiProperty({ ...JSON_OBJECT, nullable: true })
  notification_preferences!: object | null;

  @ApiProperty({ format: 'date-time', example: '2025-11-13T04:26:27.968Z' })
  created_at!: string;

  @ApiProperty({ format: 'date-time', example: '2025-11-13T04:26:27.968Z' })
  updated_at!: string;
}

export function toMissionResponse(mission: Mission): MissionResponseDto {
  return {
    id: mission.id,
    user_id: mission.userId,
    name: mission.name,
    mission_type: mission.missionType,
    event_start_date: mission.eventStartDate,
    event_end_date: mission.eventEndDate,
    prep_start_date: mission.prepStartDate,
    prep_end_date: mission.prepEndDate,
    state: mission.state,
    points_schema: mission.pointsSchema,
    timezone: mission.timezone,
    constraints: mission.constraints,
    notification_preferences: mission.notificationPreferences,
    created_at: mission.createdAt.toISOString(),
    updated_at: mission.updatedAt.toISOString(),
  };
}
