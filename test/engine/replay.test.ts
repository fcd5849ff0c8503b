import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const HISTORIES = path.join(ROOT, 'test', 'histories');

/**
 * Replays histories recorded from real engine runs against today's workflow code: a change that would make a
 * running sync non-deterministic (reordered activities, a new timer without a patch) fails here, not in production.
 */
describe('workflow replay of recorded histories', () => {
  const files = readdirSync(HISTORIES).filter((f) => f.endsWith('.bin'));

  it('has recorded histories to replay', () => {
    expect(files.length).toBeGreaterThanOrEqual(3);
  });

  it('replays every recorded history deterministically', () => {
    const out = execFileSync(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT, 'test', 'support', 'replay-histories.ts'), path.join(ROOT, 'test', 'fixtures', 'engine-workflows.ts'), HISTORIES],
      { cwd: ROOT, encoding: 'utf8' },
    );
    const results = JSON.parse(out.trim().split('\n').at(-1)!) as Array<{ workflowId: string; error?: string }>;
    expect(results.map((r) => r.workflowId).sort()).toEqual([...files].sort());
    expect(results.filter((r) => r.error)).toEqual([]);
  });
});
