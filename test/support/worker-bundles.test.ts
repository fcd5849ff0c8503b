import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { bundleWorkerScripts, builtWorkerScript, WORKER_SCRIPTS } from './worker-bundles';
import { testServices } from './env';

const ROOT = path.resolve(__dirname, '..', '..');
// Inside the repository, as the run's own build (services.ts), so the built files find node_modules.
const TEST_DATA_DIR = path.join(ROOT, '.data', 'test');

describe('worker scripts built once per run', () => {
  const outDir = path.join(TEST_DATA_DIR, `bundle-test-${process.pid}`);
  let built: Record<string, string>;

  beforeAll(async () => {
    mkdirSync(outDir, { recursive: true });
    built = await bundleWorkerScripts(ROOT, outDir);
  }, 60_000);
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('builds every worker script, each loading all of its modules and then asking for its settings', () => {
    expect(Object.keys(built).sort()).toEqual([...WORKER_SCRIPTS].sort());
    for (const file of Object.values(built)) {
      // Loading the file runs every module's top level (registry, pairs, activities); only then does main() read env.
      const run = spawnSync(process.execPath, ['--enable-source-maps', file], { cwd: ROOT, env: { PATH: process.env.PATH }, encoding: 'utf8', timeout: 30_000 });
      expect(run.status).toBe(1);
      expect(run.stderr).toContain('TEST_DATABASE_URL is required');
    }
  });

  it("writes each module's own directory where it used __dirname (workers/create-worker.ts's workflows path)", () => {
    const code = readFileSync(built['test/fixtures/pair-worker.ts']!, 'utf8');
    expect(code).not.toMatch(/\b__dirname\b/);
    expect(code).toContain(JSON.stringify(path.join(ROOT, 'workers')));
  });

  it("this run's services built every script, so startWorkerProcess starts the built files", () => {
    const runBuilt = testServices().workerScripts ?? {};
    expect(Object.keys(runBuilt).sort()).toEqual([...WORKER_SCRIPTS].sort());
    for (const file of Object.values(runBuilt)) expect(existsSync(file)).toBe(true);
  });

  it('maps a script path to its built file, and to none when the run built nothing', () => {
    const script = path.join(ROOT, 'test', 'fixtures', 'engine-worker.ts');
    expect(builtWorkerScript(ROOT, script, built)).toBe(built['test/fixtures/engine-worker.ts']);
    expect(builtWorkerScript(ROOT, script, undefined)).toBeUndefined();
    expect(builtWorkerScript(ROOT, path.join(ROOT, 'test', 'fixtures', 'other.ts'), built)).toBeUndefined();
  });
});
