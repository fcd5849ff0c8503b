/**
 * `npm run test:faults`: fault scenarios (test/faults/**\/*.faults.ts) that stop or kill real services for minutes, and
 * thousands of hostile requests. Kept out of `npm test`; same transform, services and no-skips rule.
 */
const base = require('./jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  testMatch: ['<rootDir>/test/faults/**/*.faults.ts'],
  testTimeout: 1_800_000,
};
