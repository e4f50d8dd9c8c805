import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { monotonicNow } from '../common/clock';
import { isUniqueViolation } from '../database/database-errors';
import { Activity, type ActivitySource, type ActivitySport } from './activity.entity';
import { ActivityWriter, recordedOf, type RecordedActivity, type StreamsToStore } from './activity-writer.service';
import { dedupKeyOf } from './duplicates';
import { ActivityFileError, parseActivitySamples, type ActivitySamples } from './files';

/** Summary numbers another service gives for an activity: what is used when it has no usable samples. */
export type ExternalSummary = Omit<RecordedActivity, 'name' | 'sport' | 'source' | 'startTime' | 'hasPowerStreams'>;

/** An activity of another service (Strava), as its client maps it. */
export interface ExternalActivity {
  /** `<source>:<its id there>`, unique per user. */
  externalId: string;
  source: Extract<ActivitySource, 'strava'>;
  name: string;
  sport: ActivitySport;
  startTime: Date;
  /** Its recorded samples; null when it has none (typed in by hand): scored from `summary` like a manual entry. */
  samples: Pick<ActivitySamples, 'time' | 'channels'> | null;
  summary: ExternalSummary;
}

export type ImportOutcome =
  | { status: 'imported' | 'already_imported' | 'updated'; activityId: string }
  /** The same ride is already here as an uploaded file (same sport, a start within 1 s): not imported twice. */
  | { status: 'duplicate_of_upload'; activityId: string };

/**
 * Activities of other services: imported through the same pipeline as an upload (samples checked and
 * summarised in the file worker, scored by the one writer), once per external id whatever happens twice
 * (the unique index on (user_id, external_id) is the last line of defence), renamed, replaced, removed.
 */
@Injectable()
export class ActivityImportService {
  private readonly logger = new Logger('ActivityImport');

  constructor(
    @InjectRepository(Activity) private readonly activities: Repository<Activity>,
    private readonly writer: ActivityWriter,
  ) {}

  findImported(userId: number, externalId: string): Promise<Activity | null> {
    return this.activities.findOneBy({ userId, externalId });
  }

  /** Which of these external ids are already imported for the user. */
  async importedAmong(userId: number, externalIds: string[]): Promise<Set<string>> {
    if (externalIds.length === 0) {
      return new Set();
    }
    const rows = await this.activities.find({
      where: { userId, externalId: In(externalIds) },
      select: { id: true, externalId: true },
    });
    return new Set(rows.map((r) => r.externalId as string));
  }

  /** Imports the activity unless it is here already (imported, or uploaded as a file). */
  async importOnce(userId: number, external: ExternalActivity): Promise<ImportOutcome> {
    const existing = await this.findImported(userId, external.externalId);
    if (existing) {
      return { status: 'already_imported', activityId: existing.id };
    }
    const { recorded, streams } = await this.recordedOf(external);
    const dedupKey = streams ? dedupKeyOf(recorded.sport, recorded.startTime) : null;
    if (dedupKey) {
      const upload = await this.writer.duplicateOf(userId, recorded.sport, recorded.startTime);
      if (upload) {
        return { status: 'duplicate_of_upload', activityId: upload };
      }
    }
    try {
      const activity = await this.writer.insert(
        userId,
        { ...recorded, dedupKey, externalId: external.externalId, manualTss: null, notes: null },
        streams,
      );
      return { status: 'imported', activityId: activity.id };
    } catch (error) {
      if (!isUniqueViolation(error)) {
        throw error;
      }
      // Imported meanwhile (another job, another instance), or an upload of the same ride took the dedup key.
      const raced = await this.findImported(userId, external.externalId);
      if (raced) {
        return { status: 'already_imported', activityId: raced.id };
      }
      const upload = await this.writer.duplicateOf(userId, recorded.sport, recorded.startTime);
      if (upload) {
        return { status: 'duplicate_of_upload', activityId: upload };
      }
      throw error;
    }
  }

  /** The source changed the activity: its numbers and streams are replaced in place (same id); imported when missing. */
  async reimport(userId: number, external: ExternalActivity): Promise<ImportOutcome> {
    const existing = await this.findImported(userId, external.externalId);
    if (!existing) {
      return this.importOnce(userId, external);
    }
    const { recorded, streams } = await this.recordedOf(external);
    const dedupKey = streams ? dedupKeyOf(recorded.sport, recorded.startTime) : null;
    try {
      await this.writer.replace(existing, recorded, dedupKey, streams);
    } catch (error) {
      if (!isUniqueViolation(error)) {
        throw error;
      }
      // Its new sport makes it the duplicate of an upload: keep the numbers, without the dedup key.
      await this.writer.replace(existing, recorded, null, streams);
    }
    return { status: 'updated', activityId: existing.id };
  }

  /** Renames an imported activity; false when it is not here. */
  async rename(userId: number, externalId: string, name: string): Promise<boolean> {
    const result = await this.activities.update(
      { userId, externalId },
      { name: name.slice(0, 255) || 'Activity', updatedAt: monotonicNow() },
    );
    return (result.affected ?? 0) > 0;
  }

  /** Deletes an imported activity (its streams go with it); false when it is not here. */
  async remove(userId: number, externalId: string): Promise<boolean> {
    const result = await this.activities.delete({ userId, externalId });
    return (result.affected ?? 0) > 0;
  }

  /** Deletes every activity the user imported from a source; the count. */
  async removeAllFrom(userId: number, source: ExternalActivity['source']): Promise<number> {
    const result = await this.activities.delete({ userId, source });
    return result.affected ?? 0;
  }

  /**
   * The recorded numbers: from the samples through the file worker (the same checks and summary as an
   * upload), or from the summary when there are none or they are refused (a broken sensor on the source
   * should not lose the activity: it is kept with the numbers the source computed).
   */
  private async recordedOf(
    external: ExternalActivity,
  ): Promise<{ recorded: RecordedActivity; streams: StreamsToStore | null }> {
    const name = external.name.slice(0, 255) || 'Activity';
    const { source, sport, startTime } = external;
    if (external.samples && external.samples.time.length > 0) {
      try {
        const parsed = await parseActivitySamples({ source, sport, startTime, name, ...external.samples });
        return recordedOf(parsed, name);
      } catch (error) {
        if (!(error instanceof ActivityFileError)) {
          throw error;
        }
        this.logger.warn(`${external.externalId}: samples refused (${error.message}); its summary is used`);
      }
    }
    return { recorded: { name, sport, source, startTime, ...external.summary, hasPowerStreams: false }, streams: null };
  }
}
