/**
 * Registers, logs in, refreshes, reads /users/me, creates a mission and lists missions, with the typed
 * client: every path, body and answer below is checked by the compiler (tsc --strict), with no cast and
 * no `any`. Run against a live server: `npm run example -- http://127.0.0.1:8000`.
 */
import { createLanterneClient, type Schemas } from '../src/index.js';

const baseUrl = process.argv[2] ?? 'http://127.0.0.1:8000';
let accessToken: string | undefined;
const api = createLanterneClient(baseUrl, () => accessToken);

function fail(step: string, status: number, error: unknown): never {
  throw new Error(`${step} answered ${status}: ${JSON.stringify(error)}`);
}

const credentials: Schemas['RegisterDto'] = {
  email: `example-${Date.now()}@example.com`,
  password: 'correct-horse-battery',
};

const registered = await api.POST('/auth/register', { body: credentials });
if (!registered.data) {
  fail('register', registered.response.status, registered.error);
}
console.log(`registered   user ${registered.data.id} <${registered.data.email}>`);

const login = await api.POST('/auth/login', { body: credentials });
if (!login.data) {
  fail('login', login.response.status, login.error);
}
// An account with two-factor authentication answers an mfa_token for POST /auth/mfa/verify instead.
if (!('access_token' in login.data)) {
  fail('login (this example has no second factor)', login.response.status, login.data);
}
const pair = login.data;
accessToken = pair.access_token;
console.log(`logged in    token type ${pair.token_type}`);

const refreshed = await api.POST('/auth/refresh', { body: { refresh_token: pair.refresh_token } });
if (!refreshed.data) {
  fail('refresh', refreshed.response.status, refreshed.error);
}
accessToken = refreshed.data.access_token;
console.log(`refreshed    new access token: ${refreshed.data.access_token !== pair.access_token}`);

const me = await api.GET('/users/me');
if (!me.data) {
  fail('me', me.response.status, me.error);
}
console.log(`me           ${me.data.email}, admin: ${me.data.is_admin}, active: ${me.data.is_active}`);

const today = new Date();
const inDays = (days: number): string => new Date(today.getTime() + days * 86_400_000).toISOString().slice(0, 10);
const created = await api.POST('/missions', {
  body: {
    name: 'Paris-Brest-Paris',
    mission_type: 'randonneur',
    event_start_date: inDays(120),
    event_end_date: inDays(124),
    timezone: 'Europe/Paris',
  },
});
if (!created.data) {
  fail('create mission', created.response.status, created.error);
}
console.log(`created      mission ${created.data.name} (${created.data.state}), ${created.data.event_start_date}`);

const listed = await api.GET('/missions', { params: { query: { limit: 10 } } });
if (!listed.data) {
  fail('list missions', listed.response.status, listed.error);
}
console.log(`listed       ${listed.data.length} mission(s): ${listed.data.map((m) => m.name).join(', ')}`);

const unknown = await api.GET('/missions/{id}', { params: { path: { id: '00000000-0000-4000-8000-000000000000' } } });
console.log(`unknown id   ${unknown.response.status} ${JSON.stringify(unknown.error)}`);
