import {
  BadRequestException,
  CallHandler,
  ExecutionContext,
  HttpException,
  Injectable,
  NestInterceptor,
  PayloadTooLargeException,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import { unprocessable } from '../common/validation';
import { AppConfig } from '../config/app-config';
import { apiError } from '../common/error-codes';

export const UPLOAD_FIELD = 'file';

/** What the route reads of multer's file (memory storage). */
export interface UploadedActivityFile {
  buffer: Buffer;
  size: number;
}
/** Room for the part headers and the `name` field around the file itself. */
const ENVELOPE_BYTES = 64 * 1024;

const ONE_FILE = 'Send exactly one file, in the multipart part named "file"';

/**
 * `multipart/form-data` through Nest's FileInterceptor (multer, memory storage), with every limit set
 * before a byte is read: the file at most ACTIVITY_UPLOAD_LIMIT, one file, one small `name` field.
 * multer's refusals become the contract's answers: too large 413, a missing, extra or misnamed file part
 * 422 at `["body", "file"]`, a broken multipart body 400, another content type 415.
 */
@Injectable()
export class ActivityUploadInterceptor implements NestInterceptor {
  private readonly multer: NestInterceptor;
  private readonly limit: number;

  constructor(config: AppConfig) {
    this.limit = config.activityUploadLimitBytes;
    const Multer = FileInterceptor(UPLOAD_FIELD, {
      limits: {
        fileSize: this.limit,
        files: 1,
        fields: 1,
        fieldSize: 1024,
        fieldNameSize: 100,
        parts: 2,
        headerPairs: 20,
      },
    });
    this.multer = new Multer();
  }

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const req = context.switchToHttp().getRequest<Request & { file?: UploadedActivityFile }>();
    const declared = Number(req.get('content-length') ?? 0);
    if (declared > this.limit + ENVELOPE_BYTES) {
      throw this.tooLarge();
    }
    const hasBody = req.get('transfer-encoding') !== undefined || declared > 0;
    if (hasBody && !req.is('multipart/form-data')) {
      throw apiError(
        'unsupported_media_type',
        'Unsupported media type: send multipart/form-data with a part named "file"',
      );
    }
    let handled: Observable<unknown>;
    try {
      handled = await this.multer.intercept(context, next);
    } catch (error) {
      throw this.answerFor(error);
    }
    if (!req.file) {
      throw unprocessable([{ loc: ['body', UPLOAD_FIELD], msg: 'Field required: the activity file', type: 'missing' }]);
    }
    return handled;
  }

  private tooLarge(): HttpException {
    return apiError('file_too_large', `File too large: at most ${this.limit} bytes (ACTIVITY_UPLOAD_LIMIT)`);
  }

  private answerFor(error: unknown): unknown {
    const code = ((error as { cause?: { code?: unknown } }).cause?.code ?? '') as string;
    const field = ((error as { cause?: { field?: unknown } }).cause?.field ?? '') as string;
    if (error instanceof PayloadTooLargeException) {
      return this.tooLarge();
    }
    if (code === 'LIMIT_FILE_COUNT' || code === 'LIMIT_UNEXPECTED_FILE') {
      return unprocessable([{ loc: ['body', UPLOAD_FIELD], msg: ONE_FILE, type: 'file_count' }]);
    }
    if (code.startsWith('LIMIT_') || code === 'MISSING_FIELD_NAME' || code === 'INVALID_FIELD_NAME') {
      const loc = field && field.length <= 100 ? ['body', field] : ['body'];
      return unprocessable([
        {
          loc,
          msg: 'Only a "file" part and a short "name" field (at most 1 KB) are accepted',
          type: 'multipart_limit',
        },
      ]);
    }
    if (error instanceof BadRequestException) {
      return apiError('malformed_multipart');
    }
    return error;
  }
}
