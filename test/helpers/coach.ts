import type TestAgent from 'supertest/lib/agent';
import type { Recommendation } from '../../src/coach/recommendation.schema';
import { createMission, type MissionJson, moveThrough } from './missions';

/** A recommendation as the fake model answers it (valid unless overridden otherwise). */
export function modelPlan(overrides: Partial<Recommendation> = {}): Recommendation {
  return {
    workout_type: 'vo2max',
    duration_minutes: 75,
    target_zone: 5,
    summary: '5 x 4 minutes in zone 5 with 4 minutes easy between, 15 minutes warm-up and cool-down.',
    rationale: 'Fresh legs and a base well built: time to lift the ceiling.',
    ...overrides,
  };
}

export interface CoachRunJson {
  id: string;
  mission_id: string;
  date: string;
  status: 'succeeded' | 'fallback';
  phase: string;
  load: { ctl: number; atl: number; tsb: number; readiness: number | null };
  recommendation: Recommendation;
  model_used: string | null;
  prompt_tokens: number;
  completion_tokens: number;
  created_at: string;
}

/** A mission of the user moved to TRAINING (or further along), in the given zone. */
export async function coachedMission(
  http: TestAgent,
  auth: { Authorization: string },
  overrides: Record<string, unknown> = {},
  states: string[] = ['TRAINING'],
): Promise<MissionJson> {
  const mission = await createMission(http, auth, { timezone: 'UTC', ...overrides });
  return moveThrough(http, auth, mission.id, states);
}
