/**
 * `npm run test:faults`: fault scenarios (test/faults/**\/*.faults.ts) that stop or kill real services for minutes, and
 * thousands of hostile requests. Kept out of `npm test`; same transform, services and no-skips rule.
 *
 * The files run at once, MLC_FAULT_FILES_AT_ONCE (default 4) jest workers sharing the run's Temporal server and
 * PostgreSQL (each file its own database, simulators, task queues and worker processes), longest first
 * (test/faults/kit/fault-sequencer.js): most of a scenario's time is waiting (kills, outages, partner latency, a
 * clock running ahead), so on 2 cores they overlap; in a row they took over an hour. Four, not six: with six (runs D
 * and E, README Reliability) R1, which bounds the run, took 1,462-1,506 s against 1,238-1,377 s with four. R1, the longest, keeps normal
 * CPU priority and the others yield to it (test/faults/kit/cpu-priority.ts).
 */
const base = require('./jest.config.js');

const atOnce = Number(process.env.MLC_FAULT_FILES_AT_ONCE ?? 4);
if (!Number.isInteger(atOnce) || atOnce < 1) throw new Error(`MLC_FAULT_FILES_AT_ONCE: expected a whole number of files, 1 or more, got '${process.env.MLC_FAULT_FILES_AT_ONCE}'`);

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  testMatch: ['<rootDir>/test/faults/**/*.faults.ts'],
  testTimeout: 1_800_000,
  maxWorkers: atOnce,
  testSequencer: '<rootDir>/test/faults/kit/fault-sequencer.js',
  // R1 at normal CPU priority, every other file niced (test/faults/kit/cpu-priority.ts).
  setupFilesAfterEnv: ['<rootDir>/test/faults/kit/cpu-priority-setup.ts'],
};
