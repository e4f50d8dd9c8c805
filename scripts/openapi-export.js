#!/usr/bin/env node
/**
 * `npm run client:generate`'s first step: writes the OpenAPI document the server serves to a file.
 * Starts the compiled server (`dist/src/main.js`, so run `npm run build` first) on a free loopback port
 * with a scratch SQLite database, reads GET /openapi.json, writes it pretty-printed, and stops it.
 *   node scripts/openapi-export.js clients/typescript/openapi.json
 */
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const target = path.resolve(process.argv[2] ?? 'openapi.json');

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lr-openapi-'));
  const port = await freePort();
  const server = spawn(process.execPath, [path.join(root, 'dist/src/main.js')], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: `sqlite:///${path.join(dir, 'openapi.db')}`,
      LOG_DIR: path.join(dir, 'logs'),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    for (const deadline = Date.now() + 60_000; ; ) {
      if (server.exitCode !== null || Date.now() > deadline) {
        throw new Error('the server did not start');
      }
      const res = await fetch(`http://127.0.0.1:${port}/openapi.json`).catch(() => null);
      if (res?.ok) {
        fs.writeFileSync(target, `${JSON.stringify(await res.json(), null, 2)}\n`);
        console.log(`wrote ${path.relative(process.cwd(), target)}`);
        return;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => (server.exitCode === null ? server.once('exit', r) : r()));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(`openapi-export: ${error.message}`);
  process.exit(1);
});
