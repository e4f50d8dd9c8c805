import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { STREAM_KEYS, type StravaActivity, type StravaStreams } from './strava-activity';
import { pauseAfter, StravaPausedError, StravaRateLimit } from './strava-rate-limit';

const TIMEOUT_MS = 15_000;

/** Strava answered with an error status (or could not be reached: status 0). Never carries a token. */
export class StravaApiError extends Error {
  constructor(
    readonly status: number,
    what: string,
  ) {
    super(status === 0 ? `Strava could not be reached (${what})` : `Strava answered ${status} (${what})`);
  }
}

export interface StravaTokenGrant {
  accessToken: string;
  refreshToken: string;
  expiresAt: Date;
  /** Present on the authorization-code grant. */
  athleteId?: string;
}

interface TokenBody {
  access_token?: unknown;
  refresh_token?: unknown;
  expires_at?: unknown;
  athlete?: { id?: unknown };
}

function grantOf(body: TokenBody): StravaTokenGrant {
  if (
    typeof body.access_token !== 'string' ||
    typeof body.refresh_token !== 'string' ||
    typeof body.expires_at !== 'number'
  ) {
    throw new StravaApiError(502, 'token response without tokens');
  }
  const athleteId = body.athlete?.id;
  return {
    accessToken: body.access_token,
    refreshToken: body.refresh_token,
    expiresAt: new Date(body.expires_at * 1000),
    athleteId: typeof athleteId === 'number' || typeof athleteId === 'string' ? String(athleteId) : undefined,
  };
}

/**
 * Strava's HTTP API on STRAVA_BASE_URL: the OAuth token endpoint, deauthorization and GETs under /api/v3.
 * Every answer's rate-limit headers are read; a 429 or a spent budget pauses the API for every instance
 * (StravaRateLimit): the 429 itself and API calls made while paused throw StravaPausedError (the latter
 * without reaching Strava), so the caller reschedules its work rather than lose it.
 */
@Injectable()
export class StravaClient {
  constructor(
    private readonly config: AppConfig,
    private readonly rateLimit: StravaRateLimit,
  ) {}

  exchangeCode(code: string): Promise<StravaTokenGrant> {
    return this.token({ grant_type: 'authorization_code', code });
  }

  refresh(refreshToken: string): Promise<StravaTokenGrant> {
    return this.token({ grant_type: 'refresh_token', refresh_token: refreshToken });
  }

  async deauthorize(accessToken: string): Promise<void> {
    await this.request('POST', '/oauth/deauthorize', accessToken, undefined, 'deauthorize');
  }

  /** GET /api/v3/<path> as the token's athlete. */
  async get<T>(path: string, accessToken: string, query: Record<string, string | number> = {}): Promise<T> {
    await this.rateLimit.check();
    const search = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]));
    const url = `/api/v3${path}${search.size > 0 ? `?${search.toString()}` : ''}`;
    return (await this.request('GET', url, accessToken, undefined, path.replace(/\d+/g, '{id}'))) as T;
  }

  /** One page of the athlete's activities started after `after` (Unix seconds), newest first. */
  listActivities(accessToken: string, after: number, page: number, perPage: number): Promise<StravaActivity[]> {
    return this.get<StravaActivity[]>('/athlete/activities', accessToken, { after, page, per_page: perPage });
  }

  activity(accessToken: string, id: string): Promise<StravaActivity> {
    return this.get<StravaActivity>(`/activities/${id}`, accessToken);
  }

  /** The activity's streams by type; null when it has none (an activity typed in by hand answers 404). */
  async streams(accessToken: string, id: string): Promise<StravaStreams | null> {
    try {
      return await this.get<StravaStreams>(`/activities/${id}/streams`, accessToken, {
        keys: STREAM_KEYS.join(','),
        key_by_type: 'true',
      });
    } catch (error) {
      if (error instanceof StravaApiError && error.status === 404) {
        return null;
      }
      throw error;
    }
  }

  private async token(params: Record<string, string>): Promise<StravaTokenGrant> {
    const body = new URLSearchParams({
      client_id: this.config.STRAVA_CLIENT_ID ?? '',
      client_secret: this.config.STRAVA_CLIENT_SECRET ?? '',
      ...params,
    });
    return grantOf((await this.request('POST', '/oauth/token', undefined, body, params.grant_type)) as TokenBody);
  }

  private async request(
    method: 'GET' | 'POST',
    path: string,
    accessToken: string | undefined,
    body: URLSearchParams | undefined,
    what: string,
  ): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(`${this.config.STRAVA_BASE_URL}${path}`, {
        method,
        headers: {
          accept: 'application/json',
          ...(accessToken ? { authorization: `Bearer ${accessToken}` } : {}),
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch {
      throw new StravaApiError(0, what);
    }
    const pause = pauseAfter(response.status, response.headers);
    if (pause !== null) {
      await this.rateLimit.pauseUntil(pause, response.status === 429 ? `429 on ${what}` : `budget spent on ${what}`);
    }
    const text = await response.text().catch(() => '');
    if (response.status === 429) {
      throw new StravaPausedError(new Date(pause ?? Date.now()));
    }
    if (!response.ok) {
      throw new StravaApiError(response.status, what);
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new StravaApiError(502, `${what}: not JSON`);
    }
  }
}
