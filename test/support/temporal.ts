import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker, type WorkerOptions } from '@temporalio/worker';
import { encryptedDataConverter } from '../../runtime/payload-codec';
import { testMasterKey, testServices } from './env';

let runtimeInstalled = false;

/** Quiet SDK logs in tests (warnings and errors still show). */
function installRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // Already installed by another suite in this process.
  }
}

/** Payloads encrypted with this file's master key, like the workers the harnesses start. */
export async function testClient(): Promise<Client> {
  const s = testServices();
  const connection = await Connection.connect({ address: s.temporalAddress });
  return new Client({ connection, namespace: s.namespace, dataConverter: encryptedDataConverter(testMasterKey()) });
}

export function uniqueTaskQueue(label: string): string {
  return `${label}-${randomBytes(4).toString('hex')}`;
}

export async function createTestWorker(opts: Omit<WorkerOptions, 'connection' | 'namespace'>): Promise<{ worker: Worker; connection: NativeConnection }> {
  installRuntime();
  const s = testServices();
  const connection = await NativeConnection.connect({ address: s.temporalAddress });
  const worker = await Worker.create({ connection, namespace: s.namespace, dataConverter: encryptedDataConverter(testMasterKey()), ...opts });
  return { worker, connection };
}

/** webpack's summary is noise in test output; warnings and errors still print. */
export const quietBundlerLogger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  log: () => undefined,
  warn: (message: string) => process.stderr.write(`[bundler] ${message}\n`),
  error: (message: string) => process.stderr.write(`[bundler] ${message}\n`),
};
