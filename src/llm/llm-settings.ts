/** Injection token for `LlmSettings`. */
export const LLM_SETTINGS = Symbol('LLM_SETTINGS');

export const LLM_OUTCOMES = [
  'success',
  'invalid_json',
  'invalid_draft',
  'invalid_recommendation',
  'upstream_error',
  'timeout',
  'not_configured',
] as const;
export type LlmAttemptOutcome = (typeof LLM_OUTCOMES)[number];

/** Called once per attempt, after its log file is written (metrics hook; errors are ignored). */
export type LlmAttemptObserver = (outcome: LlmAttemptOutcome, promptTokens: number, completionTokens: number) => void;

export interface LlmSettings {
  /** No key: every request is "not configured" without touching the network. */
  apiKey?: string;
  /** Any OpenAI-compatible server; defaults to OpenAI's own API. */
  baseURL?: string;
  model: string;
  /** Budget of one model call; a whole request (two attempts at most) ends within 2 x timeoutMs + ~1 s. */
  timeoutMs: number;
  /** Attempt logs go to `<logDir>/<feature folder>/` (`mission_builder/`, `coach/`). */
  logDir: string;
  onAttempt?: LlmAttemptObserver;
}
