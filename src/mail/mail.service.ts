import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Repository } from 'typeorm';
import { monotonicNow } from '../common/clock';
import { TokenCipher } from '../crypto/token-cipher';
import { type Dialect, type Statement, timestampParam } from '../database/transaction-script';
import { mailBodyContext, MailOutboxRecord } from './mail-outbox.entity';
import { MailOutboxWorker } from './mail-outbox.worker';

/** What any feature mails: a plain-text body, and an HTML one when it has one. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** The account the message is about: its queued and sent rows go when the account is deleted. */
  userId?: number;
}

/**
 * The one way the service sends mail. `send` only queues the message (a durable outbox row) and wakes
 * the worker, so a slow or failing mail server never slows or fails the request that caused the mail;
 * the worker delivers and retries with back-off.
 */
@Injectable()
export class MailService {
  private readonly logger = new Logger(MailService.name);

  constructor(
    @InjectRepository(MailOutboxRecord) private readonly outbox: Repository<MailOutboxRecord>,
    private readonly cipher: TokenCipher,
    private readonly worker: MailOutboxWorker,
  ) {}

  /** Queues a message; never throws (a mail that cannot even be queued is logged, without its body). */
  async send(message: MailMessage): Promise<void> {
    const row = this.outboxRow(message);
    try {
      await this.outbox.insert(row);
    } catch (error) {
      this.logger.error(`Mail "${message.subject}" could not be queued: ${(error as Error).message}`);
      return;
    }
    this.worker.wake();
  }

  /**
   * The outbox row of a message as one statement of the caller's own transaction (runTransactionScript),
   * so the mail is queued if and only if the caller's rows commit with it (the coach's delivery records).
   * Call `wake()` once the transaction has committed.
   */
  outboxInsert(message: MailMessage, dialect: Dialect): Statement & { id: string } {
    const row = this.outboxRow(message);
    return {
      id: row.id,
      sql:
        'INSERT INTO mail_outbox (id, user_id, to_address, subject, body, attempts, next_attempt_at, created_at) ' +
        'VALUES (:id, :userId, :to, :subject, :body, 0, :now, :now)',
      params: {
        id: row.id,
        userId: row.userId,
        to: row.toAddress,
        subject: row.subject,
        body: row.body,
        now: timestampParam(row.createdAt, dialect),
      },
    };
  }

  /** Starts a delivery pass (after a transaction that queued mail has committed). */
  wake(): void {
    this.worker.wake();
  }

  private outboxRow(message: MailMessage): MailOutboxRecord & { body: string } {
    const id = randomUUID();
    const now = monotonicNow();
    return {
      id,
      userId: message.userId ?? null,
      toAddress: message.to,
      subject: message.subject.slice(0, 500),
      body: this.cipher.seal(JSON.stringify({ text: message.text, html: message.html ?? null }), mailBodyContext(id)),
      attempts: 0,
      nextAttemptAt: now,
      claimedUntil: null,
      sentAt: null,
      lastError: null,
      createdAt: now,
    };
  }
}
