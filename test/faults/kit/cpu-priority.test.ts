import { readdirSync } from 'node:fs';
import path from 'node:path';
import { NORMAL_PRIORITY_FILES, priorityFor } from './cpu-priority';

describe('fault file CPU priorities', () => {
  it('keeps R1 and the outages at normal priority and nices every other fault file', () => {
    const dir = path.resolve(__dirname, '..');
    const files = readdirSync(dir).filter((f) => f.endsWith('.faults.ts'));
    for (const f of NORMAL_PRIORITY_FILES) expect(files).toContain(f);
    expect(files.filter((f) => priorityFor(path.join(dir, f)) === 0).sort()).toEqual([...NORMAL_PRIORITY_FILES].sort());
    expect(files.filter((f) => priorityFor(path.join(dir, f)) === 10).length).toBe(files.length - NORMAL_PRIORITY_FILES.length);
  });
});
