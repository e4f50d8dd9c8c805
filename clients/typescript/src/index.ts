/**
 * The Lanterne Rouge API client: `paths` and `components` are generated from the server's /openapi.json
 * by openapi-typescript (`npm run client:generate` at the repository root); openapi-fetch turns them
 * into typed calls: paths, path and query parameters, bodies, answers and error bodies are all checked.
 */
import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema.js';

export type { components, operations, paths } from './schema.js';

export type Schemas = components['schemas'];
export type LanterneClient = Client<paths>;

/** A client for the API at `baseUrl`; `accessToken()` is asked for the bearer token before each request. */
export function createLanterneClient(
  baseUrl: string,
  accessToken: () => string | undefined = () => undefined,
): LanterneClient {
  const client = createClient<paths>({ baseUrl });
  const bearer: Middleware = {
    onRequest({ request }) {
      const token = accessToken();
      if (token !== undefined) {
        request.headers.set('Authorization', `Bearer ${token}`);
      }
      return request;
    },
  };
  client.use(bearer);
  return client;
}
