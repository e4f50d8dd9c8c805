import type { OpenAiSdk } from './openai-sdk';

export interface UpstreamFailure {
  outcome: 'upstream_error' | 'timeout';
  /** Safe for the client: never the upstream's own error text. */
  detail: string;
  /** For the attempt log only: short, with anything key-like removed. */
  logText: string;
}

const MAX_LOG_TEXT = 300;

function sanitize(text: string, apiKey: string | undefined): string {
  let clean = text.replace(/\b(sk|rk|pk)-[A-Za-z0-9_*-]{6,}/g, '$1-[REDACTED]');
  if (apiKey) {
    clean = clean.split(apiKey).join('[REDACTED]');
  }
  return clean.length > MAX_LOG_TEXT ? `${clean.slice(0, MAX_LOG_TEXT)}...` : clean;
}

/**
 * Maps whatever a model call threw to an outcome, a public 502 detail and a log line. `sdk` is the loaded
 * OpenAI SDK, whose error classes the call's errors are instances of.
 */
export function describeUpstreamFailure(
  error: unknown,
  deadlineHit: boolean,
  apiKey: string | undefined,
  sdk: Pick<OpenAiSdk, 'APIError' | 'APIConnectionError' | 'APIConnectionTimeoutError'>,
): UpstreamFailure {
  const raw = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const logText = sanitize(raw, apiKey);
  if (deadlineHit || error instanceof sdk.APIConnectionTimeoutError) {
    return {
      outcome: 'timeout',
      detail: 'LLM service unavailable: the model did not answer in time',
      logText,
    };
  }
  if (error instanceof sdk.APIConnectionError) {
    return {
      outcome: 'upstream_error',
      detail: 'LLM service unavailable: could not reach the model server',
      logText,
    };
  }
  if (error instanceof sdk.APIError && typeof error.status === 'number') {
    const reason =
      error.status === 429
        ? 'the model server is rate limiting requests'
        : error.status === 401 || error.status === 403
          ? 'the model server refused the configured credentials'
          : `the model server answered HTTP ${error.status}`;
    return { outcome: 'upstream_error', detail: `LLM service unavailable: ${reason}`, logText };
  }
  return {
    outcome: 'upstream_error',
    detail: 'LLM service unavailable: unexpected answer from the model server',
    logText,
  };
}
