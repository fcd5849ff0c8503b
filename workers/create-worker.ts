import path from 'node:path';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { encryptedDataConverter } from '../runtime/payload-codec';
import { type TemporalTarget } from '../runtime/temporal-connection';

export const WORKFLOWS_PATH = path.resolve(__dirname, '..', 'workflows', 'index.ts');

/**
 * Workflows kept in the worker's sticky cache (the SDK's default is about 2,300 on a machine with 24 GB of memory and
 * grows with it). An idle connection's workflow waits on its poll activity, whose retries are the schedule's timer:
 * it gets no workflow task between polls with news, so keeping it cached buys nothing, and each cached run costs the
 * worker about 0.2 MB (P6: 1,000 idle connections took the worker from about 380 to 600 MB). A workflow evicted from
 * the cache is replayed from its history at its next task (a short history: the sync loop continues as new).
 */
export const DEFAULT_MAX_CACHED_WORKFLOWS = 500;

export interface CreateWorkerOptions {
  target: TemporalTarget;
  taskQueue: string;
  activities: object;
  /** MLC_MASTER_KEY: payloads are encrypted with keys derived from it (runtime/payload-codec.ts). */
  masterKey: string;
  /** A prebuilt bundle (bundleWorkflowCode output) skips bundling at start. */
  workflowBundlePath?: string;
  tuning?: Pick<WorkerOptions, 'maxConcurrentActivityTaskExecutions' | 'maxConcurrentWorkflowTaskExecutions' | 'maxCachedWorkflows'>;
  /** Activity interceptors (the benchmarks record poll attempts with one). */
  interceptors?: WorkerOptions['interceptors'];
}

/** The worker bundles workflows/ (deterministic sandbox) and registers activities built with their dependencies. */
export async function createWorker(opts: CreateWorkerOptions): Promise<{ worker: Worker; connection: NativeConnection }> {
  const connection = await NativeConnection.connect({ address: opts.target.address, tls: opts.target.tls, apiKey: opts.target.apiKey });
  const worker = await Worker.create({
    connection,
    namespace: opts.target.namespace,
    taskQueue: opts.taskQueue,
    activities: opts.activities,
    dataConverter: encryptedDataConverter(opts.masterKey),
    ...(opts.workflowBundlePath ? { workflowBundle: { codePath: opts.workflowBundlePath } } : { workflowsPath: WORKFLOWS_PATH }),
    ...opts.tuning,
    maxCachedWorkflows: opts.tuning?.maxCachedWorkflows ?? DEFAULT_MAX_CACHED_WORKFLOWS,
    ...(opts.interceptors ? { interceptors: opts.interceptors } : {}),
  });
  return { worker, connection };
}
