import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { TokenCipher } from '../crypto/token-cipher';
import { ProviderConnection, tokenContext } from './provider-connection.entity';
import { StravaApiError, StravaClient, type StravaTokenGrant } from './strava.client';

/** An access token this close to its expiry is refreshed before use. */
const REFRESH_MARGIN_MS = 120_000;

/** The connection cannot be used any more (tokens refused by Strava, or it was removed). */
export class ConnectionUnusableError extends Error {}

/**
 * The connection's tokens, sealed at rest with the one TokenCipher. `accessTokenFor` refreshes an
 * expired access token first; concurrent refreshes in one process share one call, and the new tokens are
 * written only over the tokens they replaced (a conditional UPDATE), so two instances never clobber.
 */
@Injectable()
export class StravaTokensService {
  private readonly logger = new Logger('Strava');
  private readonly refreshing = new Map<string, Promise<string>>();

  constructor(
    @InjectRepository(ProviderConnection) private readonly connections: Repository<ProviderConnection>,
    private readonly cipher: TokenCipher,
    private readonly strava: StravaClient,
  ) {}

  /** The sealed columns for a grant. */
  seal(connectionId: string, grant: StravaTokenGrant): Pick<ProviderConnection, 'accessToken' | 'refreshToken'> {
    return {
      accessToken: this.cipher.seal(grant.accessToken, tokenContext('access', connectionId)),
      refreshToken: this.cipher.seal(grant.refreshToken, tokenContext('refresh', connectionId)),
    };
  }

  openAccess(connection: ProviderConnection): string {
    return this.cipher.open(connection.accessToken, tokenContext('access', connection.id));
  }

  /** A valid access token for the connection, refreshed when it expires within two minutes. */
  async accessTokenFor(connection: ProviderConnection): Promise<string> {
    if (connection.accessExpiresAt.getTime() - REFRESH_MARGIN_MS > Date.now()) {
      return this.openAccess(connection);
    }
    let pending = this.refreshing.get(connection.id);
    if (!pending) {
      pending = this.refresh(connection).finally(() => this.refreshing.delete(connection.id));
      this.refreshing.set(connection.id, pending);
    }
    return pending;
  }

  private async refresh(connection: ProviderConnection): Promise<string> {
    const refreshToken = this.cipher.open(connection.refreshToken, tokenContext('refresh', connection.id));
    let grant: StravaTokenGrant;
    try {
      grant = await this.strava.refresh(refreshToken);
    } catch (error) {
      if (error instanceof StravaApiError && (error.status === 400 || error.status === 401)) {
        // Another instance may have refreshed it first (the old refresh token is then spent).
        const current = await this.connections.findOneBy({ id: connection.id });
        if (current && current.refreshToken !== connection.refreshToken) {
          return this.accessTokenFor(current);
        }
        await this.markError(connection.id, 'Strava refused the refresh token: connect Strava again');
        throw new ConnectionUnusableError('Strava refused the refresh token');
      }
      throw error;
    }
    const sealed = this.seal(connection.id, grant);
    const result = await this.connections.update(
      { id: connection.id, refreshToken: connection.refreshToken },
      { ...sealed, accessExpiresAt: grant.expiresAt, status: 'connected', lastError: null, updatedAt: new Date() },
    );
    if (result.affected !== 1) {
      this.logger.warn(`Connection ${connection.id}: tokens changed during a refresh; the newer ones are kept`);
    }
    return grant.accessToken;
  }

  async markError(connectionId: string, message: string): Promise<void> {
    await this.connections.update({ id: connectionId }, { status: 'error', lastError: message, updatedAt: new Date() });
  }
}
