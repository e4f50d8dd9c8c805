/**
 * `npm run test:deploy`: how the service is installed, started and used from outside, against the
 * compiled build: the Dockerfile's steps in a scratch folder, the docs pages in headless Chromium, two
 * instances behind nginx, the typed client against a live server. Needs Debian's chromium and nginx
 * (.ci/run installs them when missing), PostgreSQL and Redis; one file at a time.
 */
const { projects, reporters } = require('./jest.config.js');
const { transform, transformIgnorePatterns, moduleFileExtensions, testEnvironment } = projects[0];

module.exports = {
  displayName: 'deploy',
  rootDir: '.',
  testEnvironment,
  transform,
  transformIgnorePatterns,
  moduleFileExtensions,
  testMatch: ['<rootDir>/test/deploy/**/*.deploy-spec.ts'],
  maxWorkers: 1,
  testTimeout: 600000,
  reporters,
};
