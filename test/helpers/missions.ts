import type TestAgent from 'supertest/lib/agent';
import type { DataSource } from 'typeorm';
import { utcDate } from './dates';

export function missionBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'Unbound Gravel 200',
    mission_type: 'gravel_ultra',
    event_start_date: utcDate(60),
    event_end_date: utcDate(61),
    prep_start_date: utcDate(1),
    prep_end_date: utcDate(59),
    points_schema: { daily_base: 15, intensity_multipliers: { easy: 1, moderate: 1.5, hard: 2.5 } },
    timezone: 'Europe/Paris',
    constraints: { min_readiness: 70, min_tsb: -12, max_weekly_hours: 12 },
    notification_preferences: { channel: 'app', morning_briefing: true, evening_summary: false, weekly_review: true },
    ...overrides,
  };
}

export interface MissionJson {
  id: string;
  user_id: number;
  name: string;
  state: string;
  created_at: string;
  updated_at: string;
  [key: string]: unknown;
}

export async function createMission(
  http: TestAgent,
  auth: { Authorization: string },
  overrides: Record<string, unknown> = {},
): Promise<MissionJson> {
  const res = await http.post('/missions').set(auth).send(missionBody(overrides)).expect(201);
  return res.body as MissionJson;
}

/** Walks a mission through the given states with the transition endpoint (each must answer 200). */
export async function moveThrough(
  http: TestAgent,
  auth: { Authorization: string },
  id: string,
  states: string[],
): Promise<MissionJson> {
  let last: MissionJson | undefined;
  for (const target_state of states) {
    const res = await http.post(`/missions/${id}/transition`).set(auth).send({ target_state }).expect(200);
    last = res.body as MissionJson;
  }
  if (!last) {
    throw new Error('moveThrough needs at least one state');
  }
  return last;
}

/** The audit rows of one request, with their column names (portable SQL: SQLite and PostgreSQL). */
export function auditRowsOf(db: DataSource, requestId: string): Promise<Record<string, unknown>[]> {
  return db
    .createQueryBuilder()
    .select('*')
    .from('audit_logs', 'a')
    .where('a.request_id = :requestId', { requestId })
    .orderBy('a.id')
    .getRawMany();
}
