import { IsOptional, IsString, Length, Matches } from 'class-validator';
import { NOT_BLANK } from '../../missions/dto/create-mission.dto';

/** The text field that may come with an uploaded file (the file itself is the `file` part). */
export class UploadActivityDto {
  @IsOptional()
  @IsString()
  @Length(1, 255)
  @Matches(NOT_BLANK, { message: 'name must not be blank' })
  name?: string;
}

/** The multipart body as OpenAPI describes it, so Swagger UI offers a file picker. */
export const UPLOAD_BODY_SCHEMA = {
  type: 'object',
  required: ['file'],
  properties: {
    file: {
      type: 'string',
      format: 'binary',
      description: 'A FIT, TCX or GPX file, or one of them gzip-compressed; recognised from its content',
    },
    name: { type: 'string', minLength: 1, maxLength: 255, description: "The activity's name (default: the file's)" },
  },
};
