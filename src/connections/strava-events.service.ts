import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { ActivityImportService } from '../activities/activity-import.service';
import { JobQueue } from '../jobs/job-queue';
import { ProviderConnection } from './provider-connection.entity';
import { externalIdOf } from './strava-activity';
import { importJob } from './strava-jobs';
import { StravaSyncService } from './strava-sync.service';
import { StravaWebhookEvent } from './strava-webhook-event.entity';

/** An update event that only renames: nothing to fetch from Strava. */
const renameOnly = (updates: Record<string, unknown>): boolean =>
  Object.keys(updates).length > 0 &&
  Object.keys(updates).every((k) => k === 'title') &&
  typeof updates.title === 'string';

/**
 * A stored webhook event, processed once (its job runs after the POST has answered): an activity's
 * create imports it, update renames it (a new title alone) or re-imports it in place, delete deletes it;
 * the athlete's deauthorization drops the connection and its tokens (activities stay). The event row is
 * marked processed with a conditional UPDATE, so a second job for it (another instance) does nothing.
 */
@Injectable()
export class StravaEventsService {
  private readonly logger = new Logger('Strava');

  constructor(
    @InjectRepository(StravaWebhookEvent) private readonly events: Repository<StravaWebhookEvent>,
    @InjectRepository(ProviderConnection) private readonly connections: Repository<ProviderConnection>,
    private readonly sync: StravaSyncService,
    private readonly imports: ActivityImportService,
    private readonly queue: JobQueue,
  ) {}

  async ownerOf(eventId: string): Promise<string | null> {
    return (await this.events.findOneBy({ id: eventId }))?.ownerId ?? null;
  }

  async process(eventId: string): Promise<void> {
    const event = await this.events.findOneBy({ id: eventId });
    if (!event || event.processedAt) {
      return;
    }
    const outcome = await this.apply(event);
    await this.events.update({ id: event.id, processedAt: IsNull() }, { processedAt: new Date(), outcome });
    this.logger.log(`Event ${event.objectType}.${event.aspectType} ${event.objectId}: ${outcome}`);
  }

  private async apply(event: StravaWebhookEvent): Promise<string> {
    const connection = await this.sync.connectionOf(event.ownerId);
    if (!connection) {
      return 'no connection';
    }
    const updates = event.updates ?? {};
    if (event.objectType === 'athlete') {
      if (event.aspectType === 'update' && String(updates.authorized) === 'false') {
        // Strava has revoked the tokens already: nothing to call, the connection and its tokens go.
        await this.connections.delete({ id: connection.id });
        return 'deauthorized: connection removed, activities kept';
      }
      return 'ignored';
    }
    const externalId = externalIdOf(event.objectId);
    switch (event.aspectType) {
      case 'create':
        return this.queueImport(event);
      case 'update':
        if (renameOnly(updates) && (await this.imports.rename(connection.userId, externalId, String(updates.title)))) {
          return 'renamed';
        }
        if (!(await this.imports.findImported(connection.userId, externalId))) {
          return this.queueImport(event);
        }
        return `re-imported: ${await this.sync.importActivity(event.ownerId, event.objectId, true)}`;
      case 'delete':
        return (await this.imports.remove(connection.userId, externalId)) ? 'deleted' : 'not imported';
      default:
        return 'ignored';
    }
  }

  /** The same job (and key) as the backfill's: an activity both list and webhook name is imported once. */
  private async queueImport(event: StravaWebhookEvent): Promise<string> {
    const job = importJob(event.ownerId, event.objectId);
    const id = await this.queue.send(job.name, job.data, job.options);
    return id ? 'import queued' : 'import already queued';
  }
}
