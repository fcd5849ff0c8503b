import { readdirSync } from 'node:fs';
import path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const Sequencer = require('./fault-sequencer.js') as { new (...args: unknown[]): { sort(tests: Array<{ path: string }>): Array<{ path: string }> }; LONGEST_FIRST: string[] };

describe('fault suite file order', () => {
  const dir = path.resolve(__dirname, '..');
  const files = readdirSync(dir).filter((f) => f.endsWith('.faults.ts'));

  it('names every fault file that exists, and no file that does not', () => {
    expect([...Sequencer.LONGEST_FIRST].sort()).toEqual([...files].sort());
  });

  it('starts R1 first, R1r with it, and puts a file it does not name last', () => {
    const sequencer = new Sequencer({ rootDir: dir, contexts: [], globalConfig: {} });
    const sorted = sequencer.sort(['api-fuzz.faults.ts', 'new-scenario.faults.ts', 'r1-worker-kills.faults.ts', 'temporal-outage.faults.ts', 'r1-return-path-kills.faults.ts'].map((f) => ({ path: path.join(dir, f) })));
    expect(sorted.map((t) => path.basename(t.path))).toEqual(['r1-worker-kills.faults.ts', 'r1-return-path-kills.faults.ts', 'temporal-outage.faults.ts', 'api-fuzz.faults.ts', 'new-scenario.faults.ts']);
  });
});
