import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { startServer, type ServerProcess } from '../helpers/server-process';

/** Debian's chromium package (.ci/run installs it when missing); playwright-core cannot download its own. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

interface Problems {
  console: string[];
  offServer: string[];
}

/**
 * The docs pages as a person uses them, in headless Chromium: Swagger UI at /docs (register, log in,
 * Authorize, GET /users/me answers 200) and ReDoc at /redoc (the operation list renders). Any console
 * error (a CSP violation is one), page error, failed request or request that leaves the server fails it.
 */
describe('the docs pages in a real browser (deploy)', () => {
  let dir: string;
  let server: ServerProcess;
  let browser: Browser;
  let page: Page;
  let problems: Problems;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lr-browser-'));
    server = await startServer(
      { DATABASE_URL: `sqlite:///${path.join(dir, 'docs.db')}`, BCRYPT_ROUNDS: '4' },
      { timeoutMs: 120_000 },
    );
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    problems = { console: [], offServer: [] };
    const context = await browser.newContext();
    await context.route('**/*', async (route) => {
      const url = route.request().url();
      if (url.startsWith(`${server.url}/`)) {
        await route.continue();
      } else {
        problems.offServer.push(url);
        await route.abort();
      }
    });
    page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') {
        problems.console.push(`${message.type()}: ${message.text()}`);
      }
    });
    page.on('pageerror', (error) => problems.console.push(`page error: ${error.message}`));
    page.on('requestfailed', (request) => problems.console.push(`failed: ${request.url()}`));
    page.on('response', (response) => {
      if (response.status() >= 400) {
        problems.console.push(`${response.status()}: ${response.url()}`);
      }
    });
  });
  afterEach(async () => {
    await page.context().close();
    expect(problems).toEqual({ console: [], offServer: [] });
  });

  /** One operation's block in Swagger UI, found by method and path. */
  const operation = (method: string, route: string): Locator =>
    page.locator(`.opblock-${method}`).filter({ has: page.locator(`.opblock-summary-path[data-path="${route}"]`) });

  /** "Try it out" on an operation, with a JSON body, then Execute; returns the status and body shown. */
  async function tryIt(method: string, route: string, body?: unknown): Promise<{ status: number; body: string }> {
    const block = operation(method, route);
    await block.locator('.opblock-summary-control').click();
    await block.getByRole('button', { name: 'Try it out' }).click();
    if (body !== undefined) {
      await block.locator('textarea.body-param__text').fill(JSON.stringify(body));
    }
    await block.getByRole('button', { name: 'Execute' }).click();
    const live = block.locator('.live-responses-table tr.response').first();
    await live.waitFor();
    const status = Number(await live.locator('.response-col_status').textContent());
    const shown = (await live.locator('.response-col_description pre').first().textContent()) ?? '';
    await block.locator('.opblock-summary-control').click();
    return { status, body: shown };
  }

  it('/docs: registers, logs in, authorizes and reads /users/me', async () => {
    await page.goto(`${server.url}/docs`);
    await operation('get', '/users/me').waitFor();
    const credentials = { email: 'browser@example.com', password: 'correct-horse-battery' };

    expect((await tryIt('post', '/auth/register', credentials)).status).toBe(201);
    const login = await tryIt('post', '/auth/login', credentials);
    expect(login.status).toBe(200);
    const { access_token } = JSON.parse(login.body) as { access_token: string };
    expect(access_token).toMatch(/^ey/);

    await page.locator('.auth-wrapper button.authorize').click();
    const modal = page.locator('.modal-ux');
    await modal.locator('input[type="text"]').first().fill(access_token);
    await modal.locator('button.modal-btn.authorize').first().click();
    await modal.locator('button.btn-done').first().click();

    const me = await tryIt('get', '/users/me');
    expect(me.status).toBe(200);
    expect(JSON.parse(me.body)).toMatchObject({ email: credentials.email });
  });

  it('/redoc: renders the operation list with nothing from a CDN', async () => {
    await page.goto(`${server.url}/redoc`);
    const operations = page.locator('[data-item-id*="operation/"]');
    await operations.first().waitFor({ state: 'attached' });
    expect(await operations.count()).toBeGreaterThan(20);
    await page.locator('img[alt="redocly logo"]').waitFor();
    expect(await page.locator('img[alt="redocly logo"]').getAttribute('src')).toBe('/favicon.svg');
  });

  it('/favicon.ico is an icon, not a 404', async () => {
    const res = await page.request.get(`${server.url}/favicon.ico`);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toMatch(/^image\/svg\+xml/);
  });
});
