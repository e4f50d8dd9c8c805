/**
 * The OpenAI SDK, loaded on the first model call: an instance that never calls a model does not pay for it
 * (about 1.6 MB of resident memory). Its types are the ones of what is loaded, so `instanceof` checks on
 * its error classes hold.
 */
export const loadOpenAiSdk = () => import('openai');

export type OpenAiSdk = Awaited<ReturnType<typeof loadOpenAiSdk>>;
export type OpenAiClient = InstanceType<OpenAiSdk['default']>;
