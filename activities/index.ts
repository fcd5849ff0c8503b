import { CredentialCipher } from '../db/credential-cipher';
import { type Db } from '../db/pool';
import { type Logger } from '../runtime/logger';
import { type ActivityDeps } from './deps';
import { peopleSoftAsanaFlows, peopleSoftAsanaInboxes } from './flows/peoplesoft-asana';
import { type FlowRegistry } from './flows/types';
import { createHandleInboxEvents } from './handle-inbox-events';
import { createReplayDeadLetters } from './replay-dead-letters';
import { createSyncWindow } from './sync-window';

/** The flows this build ships; pairs register theirs here. */
export const defaultFlowRegistry: FlowRegistry = { flows: { ...peopleSoftAsanaFlows }, inbox: { ...peopleSoftAsanaInboxes } };

export function createActivities(deps: { pool: Db; logger: Logger; masterKey: string; registry?: FlowRegistry }) {
  const full: ActivityDeps = {
    pool: deps.pool,
    logger: deps.logger,
    cipher: new CredentialCipher(deps.masterKey),
    registry: deps.registry ?? defaultFlowRegistry,
  };
  return {
    syncWindow: createSyncWindow(full),
    handleInboxEvents: createHandleInboxEvents(full),
    replayDeadLetters: createReplayDeadLetters(full),
  };
}

export type SyncActivities = ReturnType<typeof createActivities>;
