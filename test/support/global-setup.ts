import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';

export interface TestServices {
  temporalAddress: string;
  namespace: string;
  databaseUrl: string;
  workflowBundle: string;
  temporalCli: string;
  /** Worker entry scripts built once for this run (test/support/worker-bundles.ts): repo-relative path to built file. */
  workerScripts?: Record<string, string>;
}

const ROOT = path.resolve(__dirname, '..', '..');

/**
 * Starts the real Temporal dev server and PostgreSQL once per run. If the Temporal CLI cannot be resolved (or built),
 * the whole run fails here with the resolver's message: no test passes by skipping.
 */
export default async function globalSetup(): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'test', 'support', 'services.ts')], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
    env: process.env,
  });
  const services = await new Promise<TestServices>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => {
      // Nothing else is read from the child: an open pipe would keep jest's process alive after the run.
      lines.close();
      child.stdout.destroy();
      try {
        resolve(JSON.parse(line) as TestServices);
      } catch {
        reject(new Error(`test services printed an unexpected line: ${line}`));
      }
    });
    child.once('exit', (code) => reject(new Error(`test services exited with code ${code} before they were ready (see the output above)`)));
  });
  (globalThis as { __mlcServices?: typeof child }).__mlcServices = child;
  process.env.MLC_TEST_SERVICES = JSON.stringify(services);
  // The simulators listen on 127.0.0.1 over http: (the admin-level setting `npm start` sets too).
  process.env.MLC_ALLOW_PRIVATE_PARTNER_URLS = 'true';
}
