import { CredentialCipher } from '../db/credential-cipher';
import { type Db } from '../db/pool';
import { type Logger } from '../core/logger';
import { pairs } from '../pairs';
import { assertValidPairs } from '../pairs/derive';
import { type PairDefinition } from '../pairs/types';
import { type TemporalReachability } from './temporal-reachability';
import { noWorkerTelemetry, type ActivityDeps, type WorkerTelemetry } from './deps';
import { type FlowRegistry } from './flows/types';
import { createHandleInboxEvents } from './handle-inbox-events';
import { createPollFlows } from './poll-flows';
import { createReplayDeadLetters } from './replay-dead-letters';
import { createSyncWindow } from './sync-window';
import { WindowPrefetch } from './window-prefetch';

/**
 * The worker's registry, derived from pair declarations: flows keyed by (pair, flow), the inbox and housekeeping by
 * pair. A declaration that names a pair, workflow type, flow or task twice stops the worker at boot.
 */
export function flowRegistryFrom(list: readonly PairDefinition[], deps: { pool: Db; cipher: CredentialCipher }): FlowRegistry {
  assertValidPairs(list);
  const registry: Required<FlowRegistry> = { flows: {}, inbox: {}, housekeeping: {} };
  for (const pair of list) {
    registry.flows[pair.id] = Object.fromEntries(pair.flows.map((f) => [f.name, f.factory]));
    if (pair.inbox) registry.inbox[pair.id] = pair.inbox;
    registry.housekeeping[pair.id] = (pair.housekeeping ?? []).map((task) => ({
      name: task.name,
      kind: task.kind,
      everyMs: task.everyMs,
      enabled: (config: unknown) => (task.enabled ? task.enabled(pair.configSchema.parse(config)) : true),
      run: (ctx) => task.run(deps, ctx),
    }));
  }
  return registry;
}

/** The flows this build ships: every pair in pairs/index.ts. */
export function shippedFlowRegistry(deps: { pool: Db; cipher: CredentialCipher }): FlowRegistry {
  return flowRegistryFrom(pairs, deps);
}

export function createActivities(deps: { pool: Db; logger: Logger; masterKey: string; registry?: FlowRegistry; telemetry?: WorkerTelemetry; reachability?: TemporalReachability }) {
  const cipher = new CredentialCipher(deps.masterKey);
  const full: ActivityDeps = {
    pool: deps.pool,
    logger: deps.logger,
    cipher,
    registry: deps.registry ?? shippedFlowRegistry({ pool: deps.pool, cipher }),
    telemetry: deps.telemetry ?? noWorkerTelemetry,
    reachability: deps.reachability,
    prefetch: new WindowPrefetch(),
  };
  return {
    syncWindow: createSyncWindow(full),
    pollFlows: createPollFlows(full),
    handleInboxEvents: createHandleInboxEvents(full),
    replayDeadLetters: createReplayDeadLetters(full),
  };
}

export type SyncActivities = ReturnType<typeof createActivities>;
