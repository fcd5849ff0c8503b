import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { stopChild } from '../../runtime/stop-child';
import { builtWorkerScript } from './worker-bundles';
import { optionalTestServices } from './env';

const ROOT = path.resolve(__dirname, '..', '..');

export interface WorkerProcess {
  child: ChildProcess;
  /** Every line the process wrote to stdout and stderr (stderr is also forwarded), for tests that search its logs. */
  output: string[];
  /** SIGKILL: no shutdown hooks, in-flight activities are abandoned mid-write. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts a worker entry script as a child process and waits until it says "ready": the run's prebuilt CommonJS file
 * when there is one (test/support/worker-bundles.ts: half the CPU of compiling it again), else the script under tsx.
 */
export async function startWorkerProcess(script: string, env: Record<string, string>): Promise<WorkerProcess> {
  const built = builtWorkerScript(ROOT, script, optionalTestServices()?.workerScripts);
  const args = built ? ['--enable-source-maps', built] : ['--import', 'tsx', script];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (line) => {
    output.push(line);
    process.stderr.write(`${line}\n`);
  });
  await new Promise<void>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      output.push(line);
      if (line.trim() === 'ready') resolve();
    });
    child.once('exit', (code) => reject(new Error(`worker process exited with ${code} before it was ready`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    output,
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
    stop: () => stopChild(child),
  };
}

export async function eventually<T>(fn: () => Promise<T | undefined | false>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
}
