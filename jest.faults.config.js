/** The long fault runs (`npm run test:faults`): thousands of hostile requests; same setup as `npm test`. */
const base = require('./jest.config');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  testMatch: ['<rootDir>/test/faults/**/*.faults.ts'],
  testTimeout: 1_800_000,
};
