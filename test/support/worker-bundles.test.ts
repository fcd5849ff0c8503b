import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { builtWorkerScript, WORKER_SCRIPTS } from './worker-bundles';
import { testServices } from './env';

const ROOT = path.resolve(__dirname, '..', '..');

/** The files this run's services built (services.ts, bundleWorkerScripts): the ones every worker process starts from. */
describe('worker scripts built once per run', () => {
  const built = testServices().workerScripts ?? {};

  it("this run's services built every script, so startWorkerProcess starts the built files", () => {
    expect(Object.keys(built).sort()).toEqual([...WORKER_SCRIPTS].sort());
    for (const file of Object.values(built)) expect(existsSync(file)).toBe(true);
  });

  it('each built script loads all of its modules and then asks for its settings', () => {
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

  it('maps a script path to its built file, and to none when the run built nothing', () => {
    const script = path.join(ROOT, 'test', 'fixtures', 'engine-worker.ts');
    expect(builtWorkerScript(ROOT, script, built)).toBe(built['test/fixtures/engine-worker.ts']);
    expect(builtWorkerScript(ROOT, script, undefined)).toBeUndefined();
    expect(builtWorkerScript(ROOT, path.join(ROOT, 'test', 'fixtures', 'other.ts'), built)).toBeUndefined();
  });
});
