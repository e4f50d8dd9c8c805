import { Body, Controller, Post, UploadedFile, UseInterceptors } from '@nestjs/common';
import {
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiCreatedResponse,
  ApiPayloadTooLargeResponse,
  ApiTags,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import { Audit } from '../audit/audit.decorators';
import { BearerAuth, CurrentUser, Operation } from '../common/decorators';
import type { User } from '../users/user.entity';
import { ActivityUploadInterceptor, type UploadedActivityFile } from './activity-upload.interceptor';
import { ActivityUploadService } from './activity-upload.service';
import { ActivityResponseDto, toActivityResponse } from './dto/activity-response.dto';
import { UPLOAD_BODY_SCHEMA, UploadActivityDto } from './dto/upload-activity.dto';
import { ErrorResponseDto } from '../common/error-response.dto';

@ApiTags('activities')
@BearerAuth()
@Controller('activities')
export class ActivityUploadController {
  constructor(private readonly uploads: ActivityUploadService) {}

  @Audit('activity.upload', { resource: 'activity' })
  @Post('upload')
  @Operation({
    id: 'uploadActivity',
    summary: 'Upload an activity file',
    description:
      'A FIT, TCX or GPX file (also gzip-compressed), as multipart/form-data. Answers 201 with the activity; its streams are stored. A duplicate (same sport, a start within 1 s) is a 409.',
  })
  @UseInterceptors(ActivityUploadInterceptor)
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: UPLOAD_BODY_SCHEMA })
  @ApiCreatedResponse({ type: ActivityResponseDto })
  @ApiConflictResponse({
    description: 'Duplicate of activity <id> (same sport, a start within 1 s)',
    type: ErrorResponseDto,
  })
  @ApiPayloadTooLargeResponse({
    description: 'Over ACTIVITY_UPLOAD_LIMIT, as sent or once decompressed',
    type: ErrorResponseDto,
  })
  @ApiUnsupportedMediaTypeResponse({ description: 'Not multipart/form-data', type: ErrorResponseDto })
  async upload(
    @CurrentUser() user: User,
    @UploadedFile() file: UploadedActivityFile,
    @Body() dto: UploadActivityDto,
  ): Promise<ActivityResponseDto> {
    return toActivityResponse(await this.uploads.upload(user, file.buffer, dto.name));
  }
}
