import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { IsNull, LessThan, MoreThan, Repository } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { OAuthState } from './oauth-state.entity';
import { apiError } from '../common/error-codes';

const hashOf = (nonce: string): string => createHash('sha256').update(nonce).digest('hex');
/** Rows this long past their expiry are deleted when new states are made. */
const KEEP_EXPIRED_MS = 24 * 3_600_000;

/**
 * OAuth `state` values: `<nonce>.<HMAC-SHA256(nonce)>`, the nonce 32 random bytes. The HMAC (a key derived
 * from SECRET_KEY) refuses forged values before the database is asked; the stored row (the nonce's hash)
 * binds the state to the user it was made for, expires it, and is consumed by one conditional UPDATE,
 * so a state works once even when two callbacks race, on SQLite and PostgreSQL alike.
 */
@Injectable()
export class OAuthStateService {
  private readonly key: Buffer;

  constructor(
    @InjectRepository(OAuthState) private readonly states: Repository<OAuthState>,
    private readonly config: AppConfig,
  ) {
    this.key = Buffer.from(hkdfSync('sha256', config.SECRET_KEY, 'lanterne-rouge/oauth-state', 'hmac-sha256 v1', 32));
  }

  private sign(nonce: string): string {
    return createHmac('sha256', this.key).update(nonce).digest('base64url');
  }

  async create(userId: number, provider: string): Promise<string> {
    const now = new Date();
    await this.states.delete({ expiresAt: LessThan(new Date(now.getTime() - KEEP_EXPIRED_MS)) });
    const nonce = randomBytes(32).toString('base64url');
    await this.states.insert({
      nonceHash: hashOf(nonce),
      userId,
      provider,
      expiresAt: new Date(now.getTime() + this.config.STRAVA_STATE_TTL_SECONDS * 1000),
      usedAt: null,
      createdAt: now,
    });
    return `${nonce}.${this.sign(nonce)}`;
  }

  /** The user the state was made for; 400 when it is forged, unknown, expired or already used. */
  async consume(state: string, provider: string): Promise<number> {
    const [nonce, signature, extra] = state.split('.');
    const expected = nonce ? Buffer.from(this.sign(nonce)) : Buffer.alloc(0);
    const given = Buffer.from(signature ?? '');
    if (extra !== undefined || !nonce || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw apiError('invalid_oauth_state');
    }
    const nonceHash = hashOf(nonce);
    const now = new Date();
    const result = await this.states.update(
      { nonceHash, provider, usedAt: IsNull(), expiresAt: MoreThan(now) },
      { usedAt: now },
    );
    const row = await this.states.findOneBy({ nonceHash, provider });
    if (result.affected === 1 && row) {
      return row.userId;
    }
    if (!row) {
      throw apiError('invalid_oauth_state');
    }
    throw apiError(
      'invalid_oauth_state',
      row.usedAt !== null
        ? 'OAuth state already used: start the connection again'
        : 'OAuth state expired: start the connection again',
    );
  }
}
