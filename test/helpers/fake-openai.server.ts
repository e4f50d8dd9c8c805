import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { MissionDraft } from '../../src/mission-builder/mission-draft.schema';
import { type DraftQuestionnaire, validDraftFor } from '../../src/mission-builder/mission-draft.fixtures';

export interface FakeUsage {
  prompt_tokens: number;
  completion_tokens: number;
}

/** What the fake server does with the next chat completion request. */
export type FakeBehaviour =
  | { kind: 'json'; body: unknown; usage?: FakeUsage }
  | { kind: 'text'; content: string; usage?: FakeUsage }
  | { kind: 'status'; status: number; body?: unknown; headers?: Record<string, string> }
  | { kind: 'hang' }
  | { kind: 'drop' }
  /** Sends the headers and half a body, then never finishes. */
  | { kind: 'stall' }
  | { kind: 'delay'; ms: number; then: FakeBehaviour }
  | { kind: 'huge'; bytes: number }
  /** A valid draft for the questionnaire found in the request's user message, with overrides. */
  | { kind: 'draft'; overrides?: Partial<MissionDraft>; usage?: FakeUsage }
  /** A valid answer to whichever feature asked: a draft for a questionnaire, a coach recommendation for facts. */
  | { kind: 'plan' };

/** What the fake answers a coach request with `plan`: an endurance ride. */
export const FAKE_RECOMMENDATION = {
  workout_type: 'endurance',
  duration_minutes: 120,
  target_zone: 2,
  summary: '2 hours of steady endurance in zone 2 (60-75 % of FTP), with 4 x 5 minutes of tempo in the second hour.',
  rationale: 'Build phase: long steady miles with a little tempo build the endurance your event will ask for.',
};

export interface RecordedBody {
  model?: string;
  temperature?: number;
  response_format?: {
    type: string;
    json_schema?: { name: string; strict?: boolean; schema?: unknown };
  };
  messages?: Array<{ role: string; content: string }>;
  [key: string]: unknown;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body (an empty object when it was not JSON; see `rawBody`). */
  body: RecordedBody;
  rawBody: string;
}

export interface FakeOpenAi {
  /** Base URL including `/v1`, for `OPENAI_BASE_URL`. */
  url: string;
  requests: RecordedRequest[];
  enqueue(...behaviours: FakeBehaviour[]): void;
  setDefault(behaviour: FakeBehaviour): void;
  /** Chat completion requests being answered right now, and the most there ever were at once (since the last reset). */
  readonly inFlight: number;
  readonly maxInFlight: number;
  /** Empties the queue and the recorded requests, restores the default behaviour and the in-flight peak. */
  reset(): void;
  close(): Promise<void>;
}

export const DEFAULT_USAGE: FakeUsage = { prompt_tokens: 120, completion_tokens: 80 };
const PATHS = new Set(['/v1/chat/completions', '/chat/completions']);

function completion(content: string, model: string, usage: FakeUsage): string {
  return JSON.stringify({
    id: `chatcmpl-fake-${Date.now()}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, finish_reason: 'stop' }],
    usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
  });
}

function sendJson(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(body);
}

function errorBody(status: number): unknown {
  return {
    error: { message: `fake upstream failure ${status}`, type: 'server_error', code: null },
  };
}

/** The questionnaire block and today's date, as the mission builder renders them in the user message. */
function questionnaireFromRequest(
  body: RecordedBody,
): { questionnaire: DraftQuestionnaire; today?: string } | undefined {
  const content = (body.messages ?? []).find(
    (m) => m.role === 'user' && m.content.includes('<<<QUESTIONNAIRE_JSON'),
  )?.content;
  const block = content ? /<<<QUESTIONNAIRE_JSON\n([\s\S]*?)\nQUESTIONNAIRE_JSON>>>/.exec(content) : null;
  if (!content || !block) {
    return undefined;
  }
  try {
    const today = /- today: (\d{4}-\d{2}-\d{2})/.exec(content)?.[1];
    return { questionnaire: JSON.parse(block[1]) as DraftQuestionnaire, today };
  } catch {
    return undefined;
  }
}

/** Starts an OpenAI-compatible chat completions server on 127.0.0.1 with a random port. */
export async function startFakeOpenAi(defaultBehaviour?: FakeBehaviour): Promise<FakeOpenAi> {
  const queue: FakeBehaviour[] = [];
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const initialDefault: FakeBehaviour = defaultBehaviour ?? { kind: 'draft' };
  let fallback = initialDefault;
  let inFlight = 0;
  let maxInFlight = 0;

  const act = (behaviour: FakeBehaviour, req: IncomingMessage, res: ServerResponse, body: RecordedBody): void => {
    const model = typeof body.model === 'string' ? body.model : 'fake-model';
    switch (behaviour.kind) {
      case 'json':
        return sendJson(res, 200, completion(JSON.stringify(behaviour.body), model, behaviour.usage ?? DEFAULT_USAGE));
      case 'text':
        return sendJson(res, 200, completion(behaviour.content, model, behaviour.usage ?? DEFAULT_USAGE));
      case 'status':
        return sendJson(
          res,
          behaviour.status,
          JSON.stringify(behaviour.body ?? errorBody(behaviour.status)),
          behaviour.headers,
        );
      case 'hang':
        return;
      case 'stall':
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"id": "chatcmpl-stalled", "choices": [');
        return;
      case 'drop':
        req.socket.destroy();
        return;
      case 'delay': {
        const timer = setTimeout(() => {
          timers.delete(timer);
          act(behaviour.then, req, res, body);
        }, behaviour.ms);
        timers.add(timer);
        return;
      }
      case 'huge':
        return sendJson(res, 200, completion('x'.repeat(behaviour.bytes), model, DEFAULT_USAGE));
      case 'plan':
        return (body.messages ?? []).some((m) => m.content.includes('<<<FACTS_JSON'))
          ? sendJson(res, 200, completion(JSON.stringify(FAKE_RECOMMENDATION), model, DEFAULT_USAGE))
          : act({ kind: 'draft' }, req, res, body);
      case 'draft': {
        const found = questionnaireFromRequest(body);
        if (!found) {
          return sendJson(res, 500, JSON.stringify(errorBody(500)));
        }
        const draft = {
          ...validDraftFor(found.questionnaire, found.today),
          ...behaviour.overrides,
        };
        return sendJson(res, 200, completion(JSON.stringify(draft), model, behaviour.usage ?? DEFAULT_USAGE));
      }
    }
  };

  const server = createServer((req, res) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on('close', () => {
      inFlight -= 1;
    });
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: RecordedBody = {};
      try {
        body = JSON.parse(text) as RecordedBody;
      } catch {
        // Kept as rawBody for the test to inspect.
      }
      const path = (req.url ?? '').split('?')[0];
      requests.push({ method: req.method ?? '', path, headers: req.headers, body, rawBody: text });
      if (req.method !== 'POST' || !PATHS.has(path)) {
        return sendJson(res, 404, JSON.stringify({ error: { message: 'not found', type: 'invalid_request_error' } }));
      }
      act(queue.shift() ?? fallback, req, res, body);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    enqueue: (...behaviours) => {
      queue.push(...behaviours);
    },
    setDefault: (behaviour) => {
      fallback = behaviour;
    },
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    reset: () => {
      queue.length = 0;
      requests.length = 0;
      fallback = initialDefault;
      maxInFlight = inFlight;
    },
    close: async () => {
      timers.forEach((timer) => clearTimeout(timer));
      timers.clear();
      sockets.forEach((socket) => socket.destroy());
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
