import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { noteForAudit } from '../audit/audit-notes';
import { AppConfig } from '../config/app-config';
import { JobQueue } from '../jobs/job-queue';
import type { StravaWebhookEventDto } from './dto/strava-webhook.dto';
import type { WebhookCheckQueryDto } from './dto/webhook-check-query.dto';
import { ProviderConnection } from './provider-connection.entity';
import { StravaWebhookEvent } from './strava-webhook-event.entity';
import { eventJob } from './strava-jobs';
import { apiError } from '../common/error-codes';

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/** What changed, in the event's key: two different updates in the same second are two events, a retry is one. */
const updatesKey = (updates: Record<string, unknown> | undefined): string => {
  const entries = Object.entries(updates ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return digest(JSON.stringify(entries)).toString('hex').slice(0, 16);
};

/** Strava's webhook: the subscription check, and the intake of events (stored once, processed later). */
@Injectable()
export class StravaWebhookService {
  constructor(
    @InjectRepository(StravaWebhookEvent) private readonly events: Repository<StravaWebhookEvent>,
    @InjectRepository(ProviderConnection) private readonly connections: Repository<ProviderConnection>,
    private readonly config: AppConfig,
    private readonly queue: JobQueue,
  ) {}

  /** The challenge echoed back when the mode is `subscribe` and the verify token is ours; else 403. */
  verifySubscription(query: WebhookCheckQueryDto): { 'hub.challenge': string } {
    const expected = this.config.STRAVA_WEBHOOK_VERIFY_TOKEN;
    const given = query['hub.verify_token'];
    const challenge = query['hub.challenge'];
    if (
      !expected ||
      query['hub.mode'] !== 'subscribe' ||
      given === undefined ||
      challenge === undefined ||
      !timingSafeEqual(digest(given), digest(expected))
    ) {
      throw apiError('webhook_verification_failed');
    }
    return { 'hub.challenge': challenge };
  }

  /**
   * Stores the event under its unique key (object, aspect, owner, time, what changed) and queues its processing (a
   * job keyed by the stored event's id); a repeated delivery finds the key taken and stores nothing, and
   * queues the same job again only while the event is unprocessed (an instance that stopped between the
   * two steps, or the same event reaching two instances: the queue keeps one job, the event is processed
   * once). Events of athletes with no connection here are ignored. Returns the stored event when this
   * delivery was the first.
   */
  async receive(dto: StravaWebhookEventDto): Promise<StravaWebhookEvent | null> {
    const ownerId = String(dto.owner_id);
    const known = await this.connections.existsBy({ provider: 'strava', athleteId: ownerId });
    if (!known) {
      noteForAudit({ details: 'unknown owner: ignored' });
      return null;
    }
    const event: StravaWebhookEvent = {
      id: randomUUID(),
      eventKey: [
        dto.object_type,
        dto.object_id,
        dto.aspect_type,
        ownerId,
        dto.event_time,
        updatesKey(dto.updates),
      ].join(':'),
      ownerId,
      objectType: dto.object_type,
      objectId: String(dto.object_id),
      aspectType: dto.aspect_type,
      updates: dto.updates ?? null,
      eventTime: new Date(dto.event_time * 1000),
      receivedAt: new Date(),
      processedAt: null,
      outcome: null,
    };
    await this.events
      .createQueryBuilder()
      .insert()
      .into(StravaWebhookEvent)
      .values(event as QueryDeepPartialEntity<StravaWebhookEvent>)
      .orIgnore()
      .execute();
    const stored = await this.events.findOneBy({ eventKey: event.eventKey });
    const first = stored?.id === event.id;
    if (stored && !stored.processedAt) {
      const job = eventJob(stored.id);
      await this.queue.send(job.name, job.data, job.options);
    }
    noteForAudit({
      resource: 'strava_event',
      resourceId: first ? event.id : undefined,
      details: `${event.objectType}.${event.aspectType}${first ? '' : ' (repeat delivery: ignored)'}`,
    });
    return first ? event : null;
  }
}
