#!/usr/bin/env node
/**
 * `npm run build` (and the `prepare` / `prestart` / `pretest` hooks): compiles src/, migrations/ and
 * ormconfig.ts into dist/ with tsc (incremental) and copies the non-TypeScript files the code reads
 * (the mission builder's prompt) beside their compiled code.
 *
 * With --if-typescript it builds only when the dev dependencies are installed. A production install
 * (`npm ci --omit=dev`) has none (TypeScript itself may be there, pulled in as a peer of a runtime
 * package, but not the type packages the build needs): it runs the dist/ made by a build with the dev
 * dependencies (the Dockerfile's build stage), so the hook says so and succeeds at install time, and
 * fails with that explanation before `npm start` when there is no dist/ to run.
 *
 * Plain Node, no dependencies: it must run where only the production dependencies are installed.
 */
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const optional = process.argv.includes('--if-typescript');
const main = path.join(root, 'dist/src/main.js');

const { devDependencies } = require(path.join(root, 'package.json'));
const devInstall = Object.keys(devDependencies).every((name) =>
  fs.existsSync(path.join(root, 'node_modules', name, 'package.json')),
);

if (!devInstall) {
  if (!optional) {
    console.error('build: the dev dependencies are not installed (a production install?): run `npm ci` first.');
    process.exit(1);
  }
  if (fs.existsSync(main)) {
    console.log('build: production install (no dev dependencies): running the compiled dist/ as it is.');
    process.exit(0);
  }
  const installing = process.env.npm_lifecycle_event === 'prepare';
  const say = installing ? console.log : console.error;
  say(
    'build: production install (no dev dependencies) and no dist/ yet: build it where the dev dependencies are ' +
      'installed (`npm ci`, which builds) and copy dist/ here, as the Dockerfile does.',
  );
  process.exit(installing ? 0 : 1);
}

const tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
const result = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], {
  cwd: root,
  stdio: 'inherit',
});
if (result.status !== 0) {
  process.exit(result.status ?? 1);
}

/** Every non-TypeScript file under src/ that the code reads at run time, copied to the same place in dist/src. */
const ASSET = /\.md$/;
function copyAssets(from, to) {
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) {
      copyAssets(source, target);
    } else if (ASSET.test(entry.name)) {
      fs.mkdirSync(to, { recursive: true });
      fs.copyFileSync(source, target);
    }
  }
}
copyAssets(path.join(root, 'src'), path.join(root, 'dist/src'));
