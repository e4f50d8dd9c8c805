import { startFakeOpenAi } from './fake-openai.server';
import { serveByHand } from './serve-by-hand';

/**
 * The tests' fake OpenAI server on its own, for trying the service by hand (`npm run fake-openai`): it
 * answers the mission builder with a valid draft and the coach with a recommendation, after
 * FAKE_OPENAI_DELAY_MS (default 0), and prints the settings to start the server with.
 */
async function main(): Promise<void> {
  const delay = Number(process.env.FAKE_OPENAI_DELAY_MS ?? 0);
  const fake = await startFakeOpenAi(
    delay > 0 ? { kind: 'delay', ms: delay, then: { kind: 'plan' } } : { kind: 'plan' },
  );
  serveByHand(fake, [
    `Fake OpenAI on ${fake.url}. Start the server with:`,
    `  OPENAI_BASE_URL=${fake.url} OPENAI_API_KEY=fake-key`,
    'It answers drafts and coach recommendations (model gpt-4o-mini). Ctrl-C stops it.',
  ]);
}

void main();
