import { ApiProperty } from '@nestjs/swagger';
import { ActivityResponseDto } from '../../activities/dto/activity-response.dto';
import { ActivityStreamsResponseDto } from '../../activities/dto/activity-streams-response.dto';

/** An activity in the export: the activity object with its recorded samples, decompressed. */
export class ActivityExportDto extends ActivityResponseDto {
  @ApiProperty({
    type: ActivityStreamsResponseDto,
    nullable: true,
    description: 'The samples as recorded (as GET /activities/{id}/streams answers); null for a manual entry',
  })
  streams!: ActivityStreamsResponseDto | null;
}
