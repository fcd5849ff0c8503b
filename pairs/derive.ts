import { type FlowSettings, type SyncInput } from '../core/sync-types';
import { pairs } from './index';
import { type PairDefinition } from './types';

/** The pair of a connection (`connections.pair`), or an error naming the pairs this build knows. */
export function pairOf(id: string, list: readonly PairDefinition[] = pairs): PairDefinition {
  const pair = list.find((p) => p.id === id);
  if (!pair) throw new Error(`unknown pair "${id}"; this build ships ${list.map((p) => p.id).join(', ')}`);
  return pair;
}

/**
 * Refuses a list in which two pairs share an id or a workflow type, or a pair names two flows, housekeeping tasks or
 * webhook partners alike, or a flow depends on a flow its pair does not declare. Called when the worker and the API
 * build their registries, so a bad declaration stops the process at boot.
 */
export function assertValidPairs(list: readonly PairDefinition[]): void {
  const dup = (what: string, names: string[]) => {
    const seen = new Set<string>();
    for (const n of names) {
      if (seen.has(n)) throw new Error(`${what} "${n}" is declared twice`);
      seen.add(n);
    }
  };
  dup('pair', list.map((p) => p.id));
  dup('workflow type', list.map((p) => p.workflowType));
  for (const p of list) {
    dup(`pair ${p.id}: flow`, p.flows.map((f) => f.name));
    dup(`pair ${p.id}: housekeeping task`, (p.housekeeping ?? []).map((h) => h.name));
    dup(`pair ${p.id}: webhook receiver for`, (p.webhooks ?? []).map((w) => w.partner));
    const names = new Set(p.flows.map((f) => f.name));
    for (const f of p.flows) {
      for (const d of f.dependsOn ?? []) if (!names.has(d)) throw new Error(`pair ${p.id}: flow ${f.name} depends on "${d}", which the pair does not declare`);
    }
  }
}

/** Whether a flow (or any switchable item) is on for this config: `config.flows[key]`, else its default. */
export function switchedOn(config: unknown, sw: { key: string; defaultOn: boolean } | undefined): boolean {
  if (!sw) return true;
  const value = (config as { flows?: Record<string, unknown> } | undefined)?.flows?.[sw.key];
  return typeof value === 'boolean' ? value : sw.defaultOn;
}

/** The schedule and flow settings the workflow gets for a config: the pair's flows as data, in declaration order. */
export function flowSettingsFor(pair: PairDefinition, config: unknown, createdAt: Date): { schedule: string; flows: FlowSettings[] } {
  const parsed = pair.configSchema.parse(config) as { schedule: string };
  const flows = pair.flows.map((f): FlowSettings => ({
    flow: f.name,
    enabled: switchedOn(parsed, f.switch),
    ...f.window(parsed, createdAt),
    ...(f.dependsOn?.length ? { dependsOn: [...f.dependsOn] } : {}),
    ...(f.conflictRule ? { conflictRule: f.conflictRule } : {}),
  }));
  return { schedule: parsed.schedule, flows };
}

/** The workflow input for a connection: ids, schedule and flow settings only, never credentials. */
export function syncInputFor(connection: { id: string; customer_id: string; pair: string; created_at: Date; config: unknown }): SyncInput {
  const pair = pairOf(connection.pair);
  return { connectionId: connection.id, customerId: connection.customer_id, pair: pair.id, ...flowSettingsFor(pair, connection.config, connection.created_at) };
}
