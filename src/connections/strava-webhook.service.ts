import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { noteForAudit } from '../audit/audit-notes';
import { AppConfig } from '../config/app-config';
import type { StravaWebhookEventDto } from './dto/strava-webhook.dto';
import type { WebhookCheckQueryDto } from './dto/webhook-check-query.dto';
import { ProviderConnection } from './provider-connection.entity';
import { StravaWebhookEvent } from './strava-webhook-event.entity';
import { apiError } from '../common/error-codes';

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/** Strava's webhook: the subscription check, and the intake of events (stored once, processed later). */
@Injectable()
export class StravaWebhookService {
  constructor(
    @InjectRepository(StravaWebhookEvent) private readonly events: Repository<StravaWebhookEvent>,
    @InjectRepository(ProviderConnection) private readonly connections: Repository<ProviderConnection>,
    private readonly config: AppConfig,
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
   * Stores the event under its unique key (object, aspect, owner, time) and hands it to processing; a
   * repeated delivery finds the key taken and adds nothing. Events of athletes with no connection here are
   * ignored. Returns the stored event when this delivery was the first.
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
      eventKey: [dto.object_type, dto.object_id, dto.aspect_type, ownerId, dto.event_time].join(':'),
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
    const first = await this.events.existsBy({ id: event.id });
    noteForAudit({
      resource: 'strava_event',
      resourceId: first ? event.id : undefined,
      details: `${event.objectType}.${event.aspectType}${first ? '' : ' (repeat delivery: ignored)'}`,
    });
    return first ? event : null;
  }
}
