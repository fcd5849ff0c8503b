import { CredentialCipher } from '../db/credential-cipher';
import { type Db } from '../db/pool';
import { type Logger } from '../runtime/logger';
import { type TemporalReachability } from '../runtime/temporal-reachability';
import { noWorkerTelemetry, type ActivityDeps, type WorkerTelemetry } from './deps';
import { peopleSoftAsanaRegistry } from './flows/peoplesoft-asana';
import { type FlowRegistry } from './flows/types';
import { createHandleInboxEvents } from './handle-inbox-events';
import { createPollFlows } from './poll-flows';
import { createReplayDeadLetters } from './replay-dead-letters';
import { createSyncWindowActivities } from './sync-window';

/** The flows this build ships; each pair registers its flows here. */
export function shippedFlowRegistry(deps: { pool: Db; cipher: CredentialCipher }): FlowRegistry {
  return peopleSoftAsanaRegistry(deps);
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
  };
  return {
    ...createSyncWindowActivities(full),
    pollFlows: createPollFlows(full),
    handleInboxEvents: createHandleInboxEvents(full),
    replayDeadLetters: createReplayDeadLetters(full),
  };
}

export type SyncActivities = ReturnType<typeof createActivities>;
