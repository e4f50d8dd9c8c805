/** Jest runs TypeScript through @swc/jest; the ESM-only @nestjs packages are compiled too. */
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];
const common = {
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j|mj)s$': swc },
  transformIgnorePatterns: [
    '/node_modules/(?!(@nestjs|@garmin|file-type|strtok3|token-types|uint8array-extras|@tokenizer|@borewit|otplib|@otplib|@noble|@scure)/)',
  ],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
};
module.exports = {
  projects: [
    { ...common, displayName: 'unit', rootDir: '.', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'e2e',
      rootDir: '.',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
    },
    // Suites that only mean something on PostgreSQL (parity with SQLite, several instances on one
    // database and Redis) run when TEST_DATABASE_URL names one; .ci/run always sets it.
    ...(process.env.TEST_DATABASE_URL
      ? [{ ...common, displayName: 'postgres', rootDir: '.', testMatch: ['<rootDir>/test/**/*.pg-spec.ts'] }]
      : []),
  ],
  reporters: ['default', '<rootDir>/test/summary-reporter.js'],
  testTimeout: 30000,
};
