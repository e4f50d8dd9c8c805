import type TestAgent from 'supertest/lib/agent';

export type Auth = { Authorization: string };

/** A manual entry's body (a one-hour ride at noon UTC on the given date by default). */
export function manualActivity(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'Manual ride',
    sport: 'ride',
    start_time: '2025-06-10T12:00:00.000Z',
    duration_s: 3600,
    ...overrides,
  };
}

export interface ActivityJson {
  id: string;
  local_date: string;
  tss: number | null;
  intensity_factor: number | null;
  tss_method: string;
  ftp_used: number | null;
  [key: string]: unknown;
}

export async function postActivity(
  http: TestAgent,
  auth: Auth,
  overrides: Record<string, unknown> = {},
): Promise<ActivityJson> {
  const res = await http.post('/activities').set(auth).send(manualActivity(overrides)).expect(201);
  return res.body as ActivityJson;
}

export async function putAthlete(http: TestAgent, auth: Auth, body: Record<string, unknown>): Promise<void> {
  await http.put('/athlete').set(auth).send(body).expect(200);
}
