/**
 * `npm run test:resilience`: crash, LLM faults, database faults, hostile input and races against the
 * compiled server (`npm run build` first). Not part of `npm test`; one file at a time, since each starts
 * its own server processes and some measure answer times.
 */
const { projects, reporters } = require('./jest.config.js');
const { transform, transformIgnorePatterns, moduleFileExtensions, testEnvironment } = projects[0];

module.exports = {
  displayName: 'resilience',
  rootDir: '.',
  testEnvironment,
  transform,
  transformIgnorePatterns,
  moduleFileExtensions,
  testMatch: ['<rootDir>/test/resilience/**/*.resilience-spec.ts'],
  maxWorkers: 1,
  testTimeout: 180000,
  reporters,
};
