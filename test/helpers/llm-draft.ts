import { startFakeOpenAi, type FakeOpenAi, type RecordedRequest } from './fake-openai.server';
import { LlmDraftClient } from '../../src/mission-builder/llm-draft.client';
import type { LlmSettings } from '../../src/llm/llm-settings';

/**
 * A fake OpenAI server for the spec file that calls this at its top level: started before its tests,
 * emptied (queue and recorded requests) before each, closed after them all.
 */
export function useFakeOpenAi(): FakeOpenAi {
  let server: FakeOpenAi | undefined;
  const started = (): FakeOpenAi => {
    if (!server) {
      throw new Error('The fake OpenAI server starts in beforeAll');
    }
    return server;
  };
  beforeAll(async () => {
    server = await startFakeOpenAi();
  });
  afterAll(async () => {
    await server?.close();
  });
  beforeEach(() => started().reset());
  return {
    get url() {
      return started().url;
    },
    get requests() {
      return started().requests;
    },
    get inFlight() {
      return started().inFlight;
    },
    get maxInFlight() {
      return started().maxInFlight;
    },
    enqueue: (...behaviours) => started().enqueue(...behaviours),
    setDefault: (behaviour) => started().setDefault(behaviour),
    reset: () => started().reset(),
    close: () => started().close(),
  };
}

/** A client of the fake server: model gpt-4o-mini, 2 s per call, unless `settings` say otherwise. */
export function fakeServerClient(
  fake: FakeOpenAi,
  settings: Partial<LlmSettings> & Pick<LlmSettings, 'logDir'>,
): LlmDraftClient {
  return new LlmDraftClient({ baseURL: fake.url, model: 'gpt-4o-mini', timeoutMs: 2000, ...settings });
}

/**
 * The request contract of a first draft call: POST /v1/chat/completions with the key as a bearer
 * token, model gpt-4o-mini at temperature 0.7, a strict `mission_draft` JSON schema as the response
 * format, and the system prompt before the user message.
 */
export function expectFirstDraftCall(request: RecordedRequest, apiKey: string): void {
  expect(request.path).toBe('/v1/chat/completions');
  expect(request.headers.authorization).toBe(`Bearer ${apiKey}`);
  expect(request.body.model).toBe('gpt-4o-mini');
  expect(request.body.temperature).toBe(0.7);
  expect(request.body.response_format).toMatchObject({
    type: 'json_schema',
    json_schema: { name: 'mission_draft', strict: true },
  });
  expect(request.body.messages?.map((m) => m.role)).toEqual(['system', 'user']);
}
