import { Injectable } from '@nestjs/common';
import { noteForAudit } from '../audit/audit-notes';
import { unprocessable } from '../common/validation';
import { AppConfig } from '../config/app-config';
import type { User } from '../users/user.entity';
import { isUniqueViolation } from '../database/database-errors';
import { ActivitiesService } from './activities.service';
import { Activity } from './activity.entity';
import { ActivityWriter, recordedOf } from './activity-writer.service';
import { dedupKeyOf } from './duplicates';
import { ActivityFileError, parseActivityFile, type ParsedActivity, type Sport } from './files';
import { apiError } from '../common/error-codes';

/** A file's way to an activity: parse (off the event loop), refuse duplicates, then the one writer. */
@Injectable()
export class ActivityUploadService {
  constructor(
    private readonly writer: ActivityWriter,
    private readonly activityRows: ActivitiesService,
    private readonly config: AppConfig,
  ) {}

  async upload(user: User, file: Buffer, name: string | undefined): Promise<Activity> {
    const parsed = await this.parse(file);
    noteForAudit({ details: `format=${parsed.source} bytes=${file.length}` });
    const { recorded, streams } = recordedOf(parsed, name ?? parsed.name ?? defaultName(parsed.sport));
    const dedupKey = dedupKeyOf(recorded.sport, recorded.startTime);
    // Same user, same sport, a start within 1 s, not a manual entry: 409 naming the one already there.
    const duplicate = await this.writer.duplicateOf(user.id, recorded.sport, recorded.startTime);
    if (duplicate) {
      throw apiError('duplicate_activity', `Duplicate of activity ${duplicate}`);
    }
    try {
      return await this.writer.insert(
        user.id,
        { ...recorded, dedupKey, externalId: null, manualTss: null, notes: null },
        streams,
      );
    } catch (error) {
      // Two identical uploads at once: the unique index lets one in, the other is this 409.
      throw isUniqueViolation(error) ? await this.activityRows.duplicateOf(user.id, dedupKey) : error;
    }
  }

  private async parse(file: Buffer): Promise<ParsedActivity> {
    try {
      return await parseActivityFile(file, this.config.activityUploadLimitBytes);
    } catch (error) {
      if (error instanceof ActivityFileError) {
        throw error.status === 413
          ? apiError('file_too_large', error.message)
          : unprocessable([{ loc: ['body', 'file'], msg: error.message, type: 'activity_file' }]);
      }
      throw error;
    }
  }
}

export function defaultName(sport: Sport): string {
  return { ride: 'Ride', virtual_ride: 'Virtual ride', run: 'Run' }[sport as string] ?? 'Activity';
}
