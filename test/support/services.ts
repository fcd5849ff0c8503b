/**
 * Started once per test run by global-setup (as a child process, so servers never live inside jest's module
 * system): a real Temporal dev server (in memory, free ports, search attributes from temporal-dev.yaml) and a real
 * embedded PostgreSQL, plus the workflow bundle and the worker processes' scripts built once. Prints one JSON line,
 * then runs until stdin closes.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { startEmbeddedPostgres } from '../../db/embedded-postgres';
import { resolveTemporalCli } from '../../runtime/temporal-cli-resolver';
import { findFreePort } from '../../core/free-port';
import { startTemporalDevServer } from '../../runtime/temporal-dev-server';
import { WORKFLOWS_PATH } from '../../workers/create-worker';
import { quietBundlerLogger } from './temporal';
import { FAILURE_CONVERTER_PATH } from '../../runtime/payload-codec';
import { bundleWorkerScripts } from './worker-bundles';

export const TEST_DATA_DIR = path.resolve(__dirname, '..', '..', '.data', 'test');
/** Low enough that the engine tests really continue-as-new; the production default is 4096 (temporal-dev.yaml: 2000). */
export const TEST_SUGGEST_CONTINUE_AS_NEW = 400;

async function main(): Promise<void> {
  const log = (line: string) => process.stderr.write(`[test-services] ${line}\n`);
  // One directory per run: parallel runs (two checkouts, a developer and CI) must not share a cluster.
  const runDir = path.join(TEST_DATA_DIR, `run-${process.pid}`);
  mkdirSync(runDir, { recursive: true });
  const cli = await resolveTemporalCli({ log });
  const [port, uiPort] = [await findFreePort(), await findFreePort()];
  const [temporal, pg, bundle, workerScripts] = await Promise.all([
    startTemporalDevServer({
      cli,
      log,
      overrides: { port, uiPort, dbFile: null, headless: true, dynamicConfig: { 'limit.historyCount.suggestContinueAsNew': TEST_SUGGEST_CONTINUE_AS_NEW } },
    }),
    startEmbeddedPostgres({ dataDir: path.join(runDir, 'pg'), port: 0, log }),
    bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietBundlerLogger, failureConverterPath: FAILURE_CONVERTER_PATH }),
    // Inside the repository (runDir is under .data/test), so the built scripts find node_modules.
    bundleWorkerScripts(path.resolve(__dirname, '..', '..'), runDir),
  ]);
  const bundlePath = path.join(runDir, 'workflow-bundle.js');
  writeFileSync(bundlePath, bundle.code);
  process.stdout.write(
    JSON.stringify({ temporalAddress: temporal.address, namespace: temporal.namespace, databaseUrl: pg.url, workflowBundle: bundlePath, temporalCli: cli.path, workerScripts }) + '\n',
  );
  const stop = async () => {
    await Promise.allSettled([temporal.stop(), pg.stop()]);
    rmSync(runDir, { recursive: true, force: true });
    process.exit(0);
  };
  process.stdin.on('end', () => void stop());
  process.stdin.on('close', () => void stop());
  process.stdin.resume();
  process.once('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
  process.stderr.write(`test services failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
