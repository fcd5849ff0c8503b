import { z } from 'zod';
import { type SimClock } from '../kit/clock';
import { type FaultInjector } from '../kit/faults';
import { type PsAuth } from './auth';
import { type SimIdp } from './idp';
import { ciOperations } from './ci-definitions';
import { type PsStore } from './store';
import { tableNames, tables } from './tables';

export const gatewayConfigSchema = z
  .object({
    /** The default local node; FSCM databases ship with PSFT_EP. */
    node: z.string().min(1),
    /**
     * The REST handlers have no paging (none is documented: partner-apis.md §1.1), so they stop at a row cap like a
     * handler's SQL fetch loop would. Convention: exactly `rowCap` rows come back, with no flag; a client that gets
     * `rowCap` rows must assume there are more and narrow its window.
     */
    rowCap: z.number().int().min(1).max(100_000),
    /** A wide LASTUPDDTTM range is a slow SQL scan on a real database: latency = min(maxMs, days * msPerDay). */
    slowQuery: z.object({ msPerDay: z.number().min(0), maxMs: z.number().int().min(0).max(120_000) }).strict(),
  })
  .strict();
export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;

export const defaultGatewayConfig = (): GatewayConfig => ({ node: 'PSFT_EP', rowCap: 500, slowQuery: { msPerDay: 1, maxMs: 2_000 } });

export const allOperations: string[] = [...tableNames.map((t) => tables[t].restOperation), ...ciOperations.map((o) => o.operation)];

export interface PsSimState {
  clock: SimClock;
  store: PsStore;
  auth: PsAuth;
  /** The customer's IdP (client credentials token endpoint), served beside the gateway. */
  idp: SimIdp;
  faults: FaultInjector;
  config: GatewayConfig;
  /** Operations whose any-to-local routing is inactive (upper case). */
  inactive: Set<string>;
  /** Requests that reached the gateway, per service operation: lets tests count what a client really sent. */
  requests: Map<string, number>;
}

export function isActive(state: PsSimState, operation: string): boolean {
  const op = operation.toUpperCase();
  return allOperations.some((o) => o.toUpperCase() === op) && !state.inactive.has(op);
}

export function countRequest(state: PsSimState, operation: string): void {
  const op = operation.toUpperCase();
  state.requests.set(op, (state.requests.get(op) ?? 0) + 1);
}
