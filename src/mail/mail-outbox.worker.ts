import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, LessThan, LessThanOrEqual, Or, Repository } from 'typeorm';
import { TokenCipher } from '../crypto/token-cipher';
import { mailBodyContext, MailOutboxRecord } from './mail-outbox.entity';
import { MAIL_TRANSPORT, type MailTransport } from './mail-transport';

/** After this many failed attempts a message is left in the outbox, undelivered, with its last error. */
export const MAIL_MAX_ATTEMPTS = 10;
/** How long a claim lasts: longer than one SMTP exchange can take (its timeouts add up to 50 s). */
const CLAIM_MS = 120_000;
const POLL_MS = 5_000;
const BATCH = 20;

/** 30 s, 1 min, 2 min, ... capped at one hour between attempts. */
export function retryDelayMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
}

/**
 * Delivers the outbox: woken when a message is queued, and every few seconds for retries. Each row is
 * claimed by one conditional UPDATE before it is sent, so several instances share the outbox and none
 * sends a row another has claimed; a crashed instance's claim expires and the row is tried again.
 */
@Injectable()
export class MailOutboxWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Mail');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(
    @InjectRepository(MailOutboxRecord) private readonly outbox: Repository<MailOutboxRecord>,
    private readonly cipher: TokenCipher,
    @Inject(MAIL_TRANSPORT) private readonly transport: MailTransport,
  ) {}

  onApplicationBootstrap(): void {
    this.logger.log(`Mail goes to ${this.transport.description}`);
    this.timer = setInterval(() => this.wake(), POLL_MS);
    this.timer.unref();
    this.wake();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
    this.transport.close();
  }

  /** Runs a delivery pass soon; a wake during a pass runs one more pass after it. */
  wake(): void {
    if (this.stopped) {
      return;
    }
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        this.wake();
      }
    });
  }

  /** Resolves once nothing is being delivered (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running) {
      await this.running;
    }
  }

  private async drain(): Promise<void> {
    try {
      let delivered: number;
      do {
        delivered = await this.deliverDue();
      } while (delivered === BATCH && !this.stopped);
    } catch (error) {
      this.logger.error(`Mail delivery pass failed: ${(error as Error).message}`);
    }
  }

  /** One pass over the messages that are due; returns how many it looked at. */
  async deliverDue(now: Date = new Date()): Promise<number> {
    const due = await this.outbox.find({
      select: { id: true },
      where: {
        sentAt: IsNull(),
        attempts: LessThan(MAIL_MAX_ATTEMPTS),
        nextAttemptAt: LessThanOrEqual(now),
        claimedUntil: Or(IsNull(), LessThan(now)),
      },
      order: { createdAt: 'ASC' },
      take: BATCH,
    });
    for (const { id } of due) {
      if (this.stopped) {
        break;
      }
      const row = await this.claim(id, now);
      if (row) {
        await this.deliver(row);
      }
    }
    return due.length;
  }

  /** Claims one row for this worker; null when another worker claimed or sent it first. */
  private async claim(id: string, now: Date): Promise<MailOutboxRecord | null> {
    const result = await this.outbox.update(
      {
        id,
        sentAt: IsNull(),
        attempts: LessThan(MAIL_MAX_ATTEMPTS),
        nextAttemptAt: LessThanOrEqual(now),
        claimedUntil: Or(IsNull(), LessThan(now)),
      },
      { claimedUntil: new Date(Date.now() + CLAIM_MS), attempts: () => 'attempts + 1' },
    );
    return result.affected === 1 ? this.outbox.findOneBy({ id }) : null;
  }

  private async deliver(row: MailOutboxRecord): Promise<void> {
    try {
      if (row.body === null) {
        throw new Error('the message has no body');
      }
      const body = JSON.parse(this.cipher.open(row.body, mailBodyContext(row.id))) as {
        text: string;
        html: string | null;
      };
      await this.transport.deliver({ id: row.id, to: row.toAddress, subject: row.subject, ...body });
    } catch (error) {
      // The error of a transport or the cipher: never the body, which may hold a token.
      const message = String((error as Error).message ?? error).slice(0, 1000);
      const retry = row.attempts < MAIL_MAX_ATTEMPTS;
      await this.outbox.update(
        { id: row.id },
        {
          lastError: message,
          claimedUntil: null,
          nextAttemptAt: new Date(Date.now() + retryDelayMs(row.attempts)),
        },
      );
      this.logger.warn(
        `Mail ${row.id} (attempt ${row.attempts}) failed: ${message}; ${retry ? 'will retry' : 'giving up'}`,
      );
      return;
    }
    await this.outbox.update({ id: row.id }, { sentAt: new Date(), body: null, claimedUntil: null, lastError: null });
    this.logger.log(`Mail ${row.id} sent (attempt ${row.attempts})`);
  }
}
