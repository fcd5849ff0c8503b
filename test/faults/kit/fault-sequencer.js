// The full fault suite's files run at once (jest.faults.config.js maxWorkers); the longest must start first or the
// run ends with one long file alone on the machine. Jest's default order (the last run's durations, else file size)
// knows nothing on a fresh clone, so the order is stated here, longest first; a file not named runs after these.
const Sequencer = require('@jest/test-sequencer').default;
const path = require('node:path');

const LONGEST_FIRST = [
  'r1-worker-kills.faults.ts',
  // R1r (kills on the return path, about 10 minutes) starts with R1: started later it would outlast it.
  'r1-return-path-kills.faults.ts',
  'temporal-outage.faults.ts',
  'r2-r3-r12-outages.faults.ts',
  'r11-clock-skew.faults.ts',
  'r4-partner-storms.faults.ts',
  'r5-r8-r10-records.faults.ts',
  'webhook-deliveries.faults.ts',
  'tenant-isolation.faults.ts',
  'api-fuzz.faults.ts',
];

class FaultSequencer extends Sequencer {
  sort(tests) {
    const rank = (t) => {
      const i = LONGEST_FIRST.indexOf(path.basename(t.path));
      return i === -1 ? LONGEST_FIRST.length : i;
    };
    return [...tests].sort((a, b) => rank(a) - rank(b) || a.path.localeCompare(b.path));
  }
}

module.exports = FaultSequencer;
module.exports.LONGEST_FIRST = LONGEST_FIRST;
