import type { CreateMissionDraftDto } from './dto/create-mission-draft.dto';
import { parseJsonReply } from '../llm/json-reply';
import { missionDraftProblems, type MissionDraft } from './mission-draft.schema';
import { applyUserFacts } from './user-facts';

export type DraftVerdict =
  { outcome: 'success'; draft: MissionDraft } | { outcome: 'invalid_json' | 'invalid_draft'; problems: string[] };

/** Parses a reply, lets the athlete's facts win, and validates what is left. */
export function judgeReply(reply: string | null | undefined, q: CreateMissionDraftDto, today: string): DraftVerdict {
  const parsed = parseJsonReply(reply);
  if (!parsed.ok) {
    return { outcome: 'invalid_json', problems: [parsed.problem] };
  }
  const candidate = applyUserFacts(parsed.value, q);
  const problems = missionDraftProblems(candidate, { today });
  if (problems.length > 0) {
    return { outcome: 'invalid_draft', problems };
  }
  return { outcome: 'success', draft: candidate as MissionDraft };
}
