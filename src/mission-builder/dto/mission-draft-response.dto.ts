import { ApiProperty } from '@nestjs/swagger';
import { apiModel } from '../../common/api-model';
import { MISSION_DRAFT, type MissionDraft } from '../mission-draft.schema';
import type { MissionDraftRow } from '../mission-draft-record.entity';

/** The draft's OpenAPI schema (with its nested models), derived from its one declaration. */
const MissionDraftDto = apiModel(MISSION_DRAFT);

export class MissionDraftResponseDto {
  @ApiProperty({
    format: 'uuid',
    description: 'Confirm with POST /missions/draft/{draft_id}/confirm before it expires',
  })
  draft_id!: string;

  @ApiProperty({ type: MissionDraftDto })
  draft!: MissionDraft;

  @ApiProperty({ format: 'date-time', example: '2025-11-14T20:31:11.234Z' })
  generated_at!: string;

  @ApiProperty({ example: 'gpt-4o-mini', description: 'The model that answered, as the server reported it' })
  model_used!: string;

  @ApiProperty({ type: 'integer', minimum: 0, example: 500, description: 'Summed over every attempt of the request' })
  prompt_tokens!: number;

  @ApiProperty({ type: 'integer', minimum: 0, example: 300, description: 'Summed over every attempt of the request' })
  completion_tokens!: number;
}

export function toMissionDraftResponse(record: MissionDraftRow): MissionDraftResponseDto {
  return {
    draft_id: record.id,
    draft: record.draft,
    generated_at: record.createdAt.toISOString(),
    model_used: record.model,
    prompt_tokens: record.promptTokens,
    completion_tokens: record.completionTokens,
  };
}
