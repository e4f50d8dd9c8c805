import { ApiProperty } from '@nestjs/swagger';
import { EXPORT_SECTIONS } from '../export-sections';

export const EXPORT_FORMAT = 'lanterne-rouge-export';
export const EXPORT_VERSION = 1;

/** The export document: these three fields, then one property per section of EXPORT_SECTIONS. */
export class AccountExportDto {
  @ApiProperty({ example: EXPORT_FORMAT, enum: [EXPORT_FORMAT] })
  format!: string;

  @ApiProperty({ type: 'integer', example: EXPORT_VERSION, description: 'Grows when the layout changes' })
  version!: number;

  @ApiProperty({ format: 'date-time', example: '2025-11-13T04:26:27.968Z' })
  exported_at!: string;
}

// The sections' properties come from their one declaration, so the document and its schema cannot drift.
for (const section of EXPORT_SECTIONS) {
  ApiProperty({ type: section.dto, isArray: section.list, description: section.description })(
    AccountExportDto.prototype,
    section.key,
  );
}
