// `npm run temporal`: the local Temporal dev server alone (for running workers/API separately, or just the UI).
// Settings come from temporal-dev.yaml; TEMPORAL_PORT / TEMPORAL_UI_PORT override the ports (0 = any free port).
import { startTemporalDevServer, type TemporalDevOverrides } from './temporal-dev-server';

function portFromEnv(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${name}=${raw} is not a port number (0-65535)`);
  return n;
}

async function main(): Promise<void> {
  const overrides: TemporalDevOverrides = { port: portFromEnv('TEMPORAL_PORT'), uiPort: portFromEnv('TEMPORAL_UI_PORT') };
  const server = await startTemporalDevServer({
    overrides,
    log: (line) => console.log(`[temporal] ${line}`),
    // The server logs at the level set in temporal-dev.yaml (warn): show it, it is the only trace of trouble.
    onServerOutput: (line) => console.error(line),
  });
  console.log(`Temporal gRPC: ${server.address}  (TEMPORAL_ADDRESS=${server.address})`);
  if (server.uiUrl) console.log(`Temporal UI:   ${server.uiUrl}`);
  console.log(`Namespace:     ${server.namespace}`);
  console.log('Ctrl-C to stop.');

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (stopping) return; // a second Ctrl-C while stopping must not start a second stop
    stopping = true;
    console.log(`[temporal] ${signal}: stopping the dev server`);
    server.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  process.on('SIGHUP', shutdown);
  void server.exited.then(({ code, signal }) => {
    if (stopping) return;
    console.error(`[temporal] dev server exited unexpectedly (code ${String(code)}, signal ${String(signal)})`);
    process.exit(1);
  });
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
