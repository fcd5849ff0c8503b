/** One runner for everything: unit tests and integration tests against the real Temporal dev server and PostgreSQL. */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }] },
  testMatch: ['<rootDir>/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/.data/'],
  // The in-process API and activities allow the simulators' http://127.0.0.1 (see connectors/http/outbound-policy.ts).
  setupFiles: ['<rootDir>/test/support/outbound-policy-setup.ts'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 120_000,
  // A test must never pass by being skipped.
  reporters: ['default', '<rootDir>/test/support/no-skips-reporter.js', '<rootDir>/test/faults/kit/fault-table-reporter.js'],
};
