/**
 * Replays every history in a folder against a workflows module, in plain Node (protobufjs, which the replayer
 * uses, breaks under jest's module registry). Prints one JSON line: [{ workflowId, error? }].
 * Usage: node --import tsx test/support/replay-histories.ts <workflowsPath> <historiesDir>
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { encryptedDataConverter } from '../../runtime/payload-codec';

async function main(): Promise<void> {
  const [workflowsPath, dir] = process.argv.slice(2);
  if (!workflowsPath || !dir) throw new Error('usage: replay-histories.ts <workflowsPath> <historiesDir>');
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const histories = readdirSync(dir)
    .filter((f) => f.endsWith('.bin'))
    .map((f) => ({ workflowId: f, history: temporal.api.history.v1.History.decode(readFileSync(path.join(dir, f))) }));
  const results: Array<{ workflowId: string; error?: string }> = [];
  // The production data converter: histories recorded before payload encryption must still replay through it.
  const dataConverter = encryptedDataConverter(`replay:${randomBytes(32).toString('base64')}`);
  for await (const r of Worker.runReplayHistories({ workflowsPath, dataConverter }, histories)) {
    results.push({ workflowId: r.workflowId, ...(r.error ? { error: String(r.error) } : {}) });
  }
  process.stdout.write(JSON.stringify(results) + '\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`replay failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
