import { noTelemetry, type PartnerTelemetry } from '../connectors/http/telemetry';
import { type CredentialCipher } from '../db/credential-cipher';
import { type Db } from '../db/pool';
import { type Logger } from '../core/logger';
import { type TemporalReachability } from './temporal-reachability';
import { type WindowPrefetch } from './window-prefetch';
import { type FlowRegistry } from './flows/types';

/** What activities are built with: injected, so tests and other workers can register their own flows. */
export interface ActivityDeps {
  pool: Db;
  logger: Logger;
  cipher: CredentialCipher;
  registry: FlowRegistry;
  /** The worker's metrics: partner 429s and token refreshes (through connectors), poll lag. */
  telemetry: WorkerTelemetry;
  /** When the worker last reached Temporal: an attempt cut off for its heartbeat timeout stops writing. */
  reachability?: TemporalReachability;
  /** Windows fetched ahead while the current one is written (absent: every window fetched when its activity starts). */
  prefetch?: WindowPrefetch;
}

export interface WorkerTelemetry extends PartnerTelemetry {
  observePollLag(pair: string, seconds: number): void;
}

export const noWorkerTelemetry: WorkerTelemetry = { ...noTelemetry, observePollLag: () => undefined };
