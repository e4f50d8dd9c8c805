import { OmitType, PartialType } from '@nestjs/swagger';
import { CreateMissionDto, PointsSchemaField, TimeZoneField } from './create-mission.dto';

/**
 * `PUT /missions/{id}`: a partial update, only the fields sent change. Every rule is the create body's;
 * fields every mission has cannot be set to null (`skipNullProperties: false`), the optional ones (prep
 * dates, constraints, notification preferences) can be cleared with null. The state changes only
 * through the transition endpoint.
 */
export class UpdateMissionDto extends PartialType(OmitType(CreateMissionDto, ['points_schema', 'timezone'] as const), {
  skipNullProperties: false,
}) {
  // Declared without the create body's defaults: here an absent field keeps the mission's value.
  @PointsSchemaField()
  points_schema?: Record<string, unknown>;

  @TimeZoneField()
  timezone?: string;
}
