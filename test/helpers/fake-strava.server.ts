import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A fake Strava for the tests and for trying the service by hand: a real HTTP server on loopback with the
 * parts of Strava's API the service uses, scriptable from the test.
 *   GET  /oauth/authorize       approves at once: 302 to redirect_uri?state&code&scope (the athlete's consent)
 *   POST /oauth/token           authorization_code and refresh_token grants (form or JSON body)
 *   POST /oauth/deauthorize     revokes every token of the athlete
 *   GET  /api/v3/athlete, /api/v3/athlete/activities (after, before, page, per_page),
 *        /api/v3/activities/{id}, /api/v3/activities/{id}/streams (keys, key_by_type)
 *   POST /_fake/activities      (not Strava's: JSON like addActivity, plus `daysAgo`) adds an activity and
 *                               answers it with the webhook event Strava would send, for trying by hand
 * Every API answer carries X-RateLimit-Limit / X-RateLimit-Usage; `failNext` scripts 429s (or other errors).
 */

export interface FakeStravaActivity {
  id: number;
  athleteId: number;
  name: string;
  sport_type: string;
  start_date: string;
  /** 1-Hz samples; channels left out are absent from the streams. */
  seconds: number;
  watts?: number;
  heartrate?: number;
  cadence?: number;
  /** No streams at all (an activity typed in on Strava): the streams endpoint answers 404. */
  noStreams?: boolean;
  /** Private on Strava (readable with activity:read_all only). */
  private?: boolean;
}

export interface FakeStravaRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: Record<string, string>;
  authorization: string | undefined;
  /** When it arrived (Date.now()). */
  at: number;
}

export interface FakeFailure {
  status: number;
  /** Seconds, sent as Retry-After. */
  retryAfter?: number;
  /** Only requests whose path starts with this fail (default: any API or OAuth request). */
  pathPrefix?: string;
}

interface TokenGrant {
  athleteId: number;
  scope: string;
  expiresAt: number;
}

export interface FakeStrava {
  /** Base URL, for STRAVA_BASE_URL. */
  url: string;
  clientId: string;
  clientSecret: string;
  requests: FakeStravaRequest[];
  /** What /oauth/authorize would hand the browser: a one-time code for this athlete and scope. */
  issueCode(athleteId: number, scope?: string): string;
  addActivity(
    activity: Omit<FakeStravaActivity, 'athleteId' | 'id'> & { athleteId?: number; id?: number },
  ): FakeStravaActivity;
  /** Renames an activity (an update event would follow on Strava). */
  renameActivity(id: number, name: string): void;
  /** Changes an activity (its sport, its samples...): an update event would follow on Strava. */
  updateActivity(id: number, changes: Partial<Omit<FakeStravaActivity, 'id' | 'athleteId'>>): void;
  removeActivity(id: number): void;
  /** Makes every access token issued so far expired (the next API call needs a refresh). */
  expireAccessTokens(): void;
  /** The next `count` matching requests fail with this status (429 with Retry-After by default). */
  failNext(count: number, failure?: FakeFailure): void;
  /** X-RateLimit-Usage reported from now on: "short,daily" against the limits 200,2000. */
  setUsage(short: number, daily: number): void;
  /** Access tokens currently valid (not revoked, not expired). */
  liveAccessTokens(): string[];
  deauthorized: number[];
  countRequests(pathPrefix: string, method?: string): number;
  reset(): void;
  close(): Promise<void>;
}

export const FAKE_ATHLETE_ID = 9_123_456;
const RATE_LIMIT = '200,2000';

function parseBody(raw: string, contentType: string | undefined): Record<string, string> {
  if (!raw) {
    return {};
  }
  if (contentType?.includes('application/json')) {
    try {
      const parsed = JSON.parse(raw) as Record<string, unknown>;
      return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
    } catch {
      return {};
    }
  }
  return Object.fromEntries(new URLSearchParams(raw));
}

function streamsOf(activity: FakeStravaActivity): Record<string, number[]> {
  const n = activity.seconds + 1;
  const time = Array.from({ length: n }, (_, i) => i);
  const streams: Record<string, number[]> = {
    time,
    distance: time.map((t) => t * 8),
    velocity_smooth: time.map(() => 8),
    altitude: time.map((t) => 100 + (t % 100) / 10),
  };
  if (activity.watts !== undefined) {
    streams.watts = time.map(() => activity.watts!);
  }
  if (activity.heartrate !== undefined) {
    streams.heartrate = time.map(() => activity.heartrate!);
  }
  if (activity.cadence !== undefined) {
    streams.cadence = time.map(() => activity.cadence!);
  }
  return streams;
}

/** The webhook event Strava would send about an activity (or, with `athlete`, an athlete). */
export function stravaEvent(
  aspect: 'create' | 'update' | 'delete',
  objectId: number,
  ownerId: number,
  options: { updates?: Record<string, string>; objectType?: 'activity' | 'athlete'; eventTime?: number } = {},
): Record<string, unknown> {
  return {
    aspect_type: aspect,
    event_time: options.eventTime ?? Math.floor(Date.now() / 1000),
    object_id: objectId,
    object_type: options.objectType ?? 'activity',
    owner_id: ownerId,
    subscription_id: 120475,
    updates: options.updates ?? {},
  };
}

function summaryOf(activity: FakeStravaActivity): Record<string, unknown> {
  return {
    id: activity.id,
    resource_state: 2,
    athlete: { id: activity.athleteId, resource_state: 1 },
    name: activity.name,
    type: activity.sport_type,
    sport_type: activity.sport_type,
    start_date: activity.start_date,
    elapsed_time: activity.seconds,
    moving_time: activity.seconds,
    distance: activity.seconds * 8,
    total_elevation_gain: activity.noStreams ? 0 : 45,
    manual: activity.noStreams === true,
    private: activity.private === true,
    average_watts: activity.watts,
    weighted_average_watts: activity.watts,
    max_watts: activity.watts,
    device_watts: activity.watts !== undefined,
    average_heartrate: activity.heartrate,
    max_heartrate: activity.heartrate,
    average_cadence: activity.cadence,
  };
}

/** Starts the fake Strava on 127.0.0.1 (a random port unless one is given). */
export async function startFakeStrava(
  options: { port?: number; clientId?: string; clientSecret?: string; accessTokenTtlSeconds?: number } = {},
): Promise<FakeStrava> {
  const clientId = options.clientId ?? '4242';
  const clientSecret = options.clientSecret ?? 'fake-strava-client-secret';
  const ttl = options.accessTokenTtlSeconds ?? 6 * 3600;
  const codes = new Map<string, { athleteId: number; scope: string }>();
  const accessTokens = new Map<string, TokenGrant>();
  const refreshTokens = new Map<string, TokenGrant>();
  const activities = new Map<number, FakeStravaActivity>();
  const failures: Array<FakeFailure & { left: number }> = [];
  const requests: FakeStravaRequest[] = [];
  const deauthorized: number[] = [];
  const sockets = new Set<Socket>();
  let usage = { short: 1, daily: 1 };
  let nextActivityId = 10_000_000_001;

  const token = (prefix: string): string => `${prefix}_${randomBytes(16).toString('hex')}`;
  const nowSeconds = (): number => Math.floor(Date.now() / 1000);

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'x-ratelimit-limit': RATE_LIMIT,
      'x-ratelimit-usage': `${usage.short},${usage.daily}`,
      ...headers,
    });
    res.end(JSON.stringify(body));
  };
  const fault = (res: ServerResponse, status: number, message: string): void =>
    send(res, status, { message, errors: [{ resource: 'Application', field: '', code: message }] });

  const tokenResponse = (grant: TokenGrant, withAthlete: boolean): Record<string, unknown> => {
    const access = token('access');
    const refresh = token('refresh');
    const issued = { ...grant, expiresAt: nowSeconds() + ttl };
    accessTokens.set(access, issued);
    refreshTokens.set(refresh, issued);
    return {
      token_type: 'Bearer',
      access_token: access,
      refresh_token: refresh,
      expires_at: issued.expiresAt,
      expires_in: ttl,
      ...(withAthlete
        ? { athlete: { id: grant.athleteId, username: `rider${grant.athleteId}`, resource_state: 2 } }
        : {}),
    };
  };

  const oauthToken = (res: ServerResponse, body: Record<string, string>): void => {
    if (body.client_id !== clientId || body.client_secret !== clientSecret) {
      return fault(res, 401, 'invalid client');
    }
    if (body.grant_type === 'authorization_code') {
      const granted = codes.get(body.code ?? '');
      if (!granted) {
        return fault(res, 400, 'invalid code');
      }
      codes.delete(body.code);
      return send(res, 200, tokenResponse({ ...granted, expiresAt: 0 }, true));
    }
    if (body.grant_type === 'refresh_token') {
      const grant = refreshTokens.get(body.refresh_token ?? '');
      if (!grant) {
        return fault(res, 400, 'invalid refresh_token');
      }
      refreshTokens.delete(body.refresh_token);
      return send(res, 200, tokenResponse(grant, false));
    }
    return fault(res, 400, 'unsupported grant_type');
  };

  const revokeAthlete = (athleteId: number): void => {
    for (const map of [accessTokens, refreshTokens]) {
      for (const [key, grant] of map) {
        if (grant.athleteId === athleteId) {
          map.delete(key);
        }
      }
    }
    deauthorized.push(athleteId);
  };

  const addByHand = (res: ServerResponse, raw: string): void => {
    let spec: Record<string, unknown>;
    try {
      spec = JSON.parse(raw || '{}') as Record<string, unknown>;
    } catch {
      return fault(res, 400, 'body is not JSON');
    }
    const start = new Date(Date.now() - Number(spec.daysAgo ?? 0) * 86_400_000 - 3_600_000);
    const activity = add({
      name: typeof spec.name === 'string' ? spec.name : 'Lunch ride',
      sport_type: typeof spec.sport_type === 'string' ? spec.sport_type : 'Ride',
      start_date: typeof spec.start_date === 'string' ? spec.start_date : start.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      seconds: Number(spec.seconds ?? 1800),
      ...(spec.watts !== undefined ? { watts: Number(spec.watts) } : {}),
      ...(spec.heartrate !== undefined ? { heartrate: Number(spec.heartrate) } : {}),
      ...(spec.cadence !== undefined ? { cadence: Number(spec.cadence) } : {}),
      ...(spec.noStreams === true ? { noStreams: true } : {}),
    });
    return send(res, 201, {
      activity: summaryOf(activity),
      event: stravaEvent('create', activity.id, activity.athleteId),
    });
  };

  const api = (res: ServerResponse, path: string, query: Record<string, string>, grant: TokenGrant): void => {
    const { athleteId } = grant;
    const readable = (a: FakeStravaActivity): boolean =>
      a.athleteId === athleteId && (!a.private || grant.scope.includes('activity:read_all'));
    if (path === '/api/v3/athlete') {
      return send(res, 200, { id: athleteId, username: `rider${athleteId}`, resource_state: 3 });
    }
    if (path === '/api/v3/athlete/activities') {
      const after = Number(query.after ?? 0);
      const before = Number(query.before ?? Number.MAX_SAFE_INTEGER);
      const page = Math.max(1, Number(query.page ?? 1));
      const perPage = Math.min(200, Math.max(1, Number(query.per_page ?? 30)));
      const mine = [...activities.values()]
        .filter(readable)
        .filter((a) => {
          const start = Date.parse(a.start_date) / 1000;
          return start > after && start < before;
        })
        .sort((a, b) => Date.parse(b.start_date) - Date.parse(a.start_date));
      return send(res, 200, mine.slice((page - 1) * perPage, page * perPage).map(summaryOf));
    }
    const detail = /^\/api\/v3\/activities\/(\d+)(\/streams)?$/.exec(path);
    const activity = detail ? activities.get(Number(detail[1])) : undefined;
    if (!detail || !activity || !readable(activity)) {
      return fault(res, 404, 'Record Not Found');
    }
    if (!detail[2]) {
      return send(res, 200, { ...summaryOf(activity), resource_state: 3 });
    }
    if (activity.noStreams) {
      return fault(res, 404, 'Record Not Found');
    }
    const keys = new Set((query.keys ?? '').split(',').filter(Boolean).concat('time', 'distance'));
    const all = streamsOf(activity);
    const chosen = Object.entries(all)
      .filter(([type]) => keys.has(type))
      .map(([type, data]) => ({ type, data, series_type: 'time', original_size: data.length, resolution: 'high' }));
    return send(res, 200, query.key_by_type === 'true' ? Object.fromEntries(chosen.map((s) => [s.type, s])) : chosen);
  };

  const handle = (req: IncomingMessage, res: ServerResponse, raw: string): void => {
    const url = new URL(req.url ?? '/', 'http://fake-strava');
    const query = Object.fromEntries(url.searchParams);
    const body = parseBody(raw, req.headers['content-type']);
    const path = url.pathname;
    requests.push({
      method: req.method ?? 'GET',
      path,
      query,
      body,
      authorization: req.headers.authorization,
      at: Date.now(),
    });

    if (req.method === 'GET' && path === '/oauth/authorize') {
      // The athlete's consent screen, approved at once (used when trying the service by hand).
      const redirect = query.redirect_uri;
      if (query.client_id !== clientId || !redirect) {
        return fault(res, 400, 'invalid client_id or redirect_uri');
      }
      const scope = `read,${query.scope ?? 'read'}`;
      const target = new URL(redirect);
      target.searchParams.set('state', query.state ?? '');
      target.searchParams.set('code', issueCode(FAKE_ATHLETE_ID, scope));
      target.searchParams.set('scope', scope);
      res.writeHead(302, { location: target.toString() });
      return void res.end();
    }

    if (req.method === 'POST' && path === '/_fake/activities') {
      return addByHand(res, raw);
    }

    const failure = failures.find((f) => f.left > 0 && (!f.pathPrefix || path.startsWith(f.pathPrefix)));
    if (failure) {
      failure.left -= 1;
      return send(
        res,
        failure.status,
        { message: failure.status === 429 ? 'Rate Limit Exceeded' : 'Fake failure', errors: [] },
        failure.retryAfter !== undefined ? { 'retry-after': String(failure.retryAfter) } : {},
      );
    }

    if (req.method === 'POST' && path === '/oauth/token') {
      return oauthToken(res, body);
    }
    const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    const presented = bearer ?? body.access_token ?? query.access_token;
    const grant = presented ? accessTokens.get(presented) : undefined;
    if (!grant || grant.expiresAt <= nowSeconds()) {
      return fault(res, 401, 'Authorization Error');
    }
    if (req.method === 'POST' && path === '/oauth/deauthorize') {
      revokeAthlete(grant.athleteId);
      return send(res, 200, { access_token: presented });
    }
    if (req.method === 'GET' && path.startsWith('/api/v3/')) {
      if (path.startsWith('/api/v3/activities') || path === '/api/v3/athlete/activities') {
        if (!/activity:read/.test(grant.scope)) {
          return fault(res, 401, 'activity:read_permission missing');
        }
      }
      return api(res, path, query, grant);
    }
    return fault(res, 404, 'Not Found');
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  function add(
    activity: Omit<FakeStravaActivity, 'athleteId' | 'id'> & { athleteId?: number; id?: number },
  ): FakeStravaActivity {
    const full: FakeStravaActivity = { athleteId: FAKE_ATHLETE_ID, id: nextActivityId, ...activity };
    activities.set(full.id, full);
    nextActivityId = Math.max(nextActivityId, full.id + 1);
    return full;
  }

  function issueCode(athleteId: number, scope = 'read,activity:read_all'): string {
    const code = token('code');
    codes.set(code, { athleteId, scope });
    return code;
  }

  return {
    url: `http://127.0.0.1:${port}`,
    clientId,
    clientSecret,
    requests,
    deauthorized,
    issueCode,
    addActivity: add,
    renameActivity(id, name) {
      const activity = activities.get(id);
      if (activity) {
        activity.name = name;
      }
    },
    updateActivity(id, changes) {
      const activity = activities.get(id);
      if (activity) {
        Object.assign(activity, changes);
      }
    },
    removeActivity(id) {
      activities.delete(id);
    },
    expireAccessTokens() {
      for (const grant of accessTokens.values()) {
        grant.expiresAt = nowSeconds() - 1;
      }
    },
    failNext(count, failure = { status: 429, retryAfter: 1 }) {
      failures.push({ ...failure, left: count });
    },
    setUsage(short, daily) {
      usage = { short, daily };
    },
    liveAccessTokens() {
      return [...accessTokens.entries()].filter(([, g]) => g.expiresAt > nowSeconds()).map(([t]) => t);
    },
    countRequests(pathPrefix, method) {
      return requests.filter((r) => r.path.startsWith(pathPrefix) && (!method || r.method === method)).length;
    },
    reset() {
      requests.length = 0;
      failures.length = 0;
      deauthorized.length = 0;
      usage = { short: 1, daily: 1 };
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) {
          socket.destroy();
        }
        server.close(() => resolve());
      }),
  };
}
