#!/usr/bin/env node
/**
 * `npm run start:dev`: builds, then recompiles on every change (`tsc --watch`) and restarts the server
 * whenever its compiled code changes (`node --watch`). Only Node and TypeScript's own watch modes: no
 * extra tool. Ctrl-C (or SIGTERM) stops both.
 */
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const first = spawnSync(process.execPath, [path.join(__dirname, 'build.js')], { cwd: root, stdio: 'inherit' });
if (first.status !== 0) {
  process.exit(first.status ?? 1);
}

const tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
const children = [
  spawn(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--watch', '--preserveWatchOutput'], {
    cwd: root,
    stdio: 'inherit',
  }),
  spawn(process.execPath, ['--watch', 'dist/src/main.js'], { cwd: root, stdio: 'inherit' }),
];

let stopping = false;
const stop = (signal) => {
  if (stopping) {
    return;
  }
  stopping = true;
  children.forEach((child) => child.exitCode === null && child.kill(signal));
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
children.forEach((child) =>
  child.on('exit', (code) => {
    stop('SIGTERM');
    if (children.every((c) => c.exitCode !== null || c.signalCode !== null)) {
      process.exit(code ?? 0);
    }
  }),
);
