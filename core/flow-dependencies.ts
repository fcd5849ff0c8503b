/**
 * Dependencies between the flows of one connection, pure so the workflow, the poll activity and the API share them:
 * the order flows run in (what a flow depends on runs first) and how far a dependent flow may read (never past the
 * watermark of what it depends on, so a document cannot reach the target before its vendor).
 */

export interface DependentFlow {
  flow: string;
  enabled?: boolean;
  dependsOn?: string[];
}

/** How long a record may wait for a missing reference before it is dead-lettered, when the flow does not say. */
export const DEFAULT_WAIT_FOR_REFERENCE_MS = 24 * 60 * 60 * 1000;

/** A flow list whose dependencies cannot be satisfied: unknown names or a cycle. The message names the flows. */
export class FlowDependencyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FlowDependencyError';
  }
}

/**
 * Refuses a flow list whose dependencies cannot be satisfied (at create, update and start): a dependency on an
 * undeclared flow, on itself, or a cycle, naming the flows involved.
 */
export function validateFlowDependencies(flows: readonly DependentFlow[]): void {
  const names = new Set(flows.map((f) => f.flow));
  for (const f of flows) {
    for (const d of f.dependsOn ?? []) {
      if (d === f.flow) throw new FlowDependencyError(`flow "${f.flow}": dependsOn names the flow itself; remove "${d}" from dependsOn`);
      if (!names.has(d)) throw new FlowDependencyError(`flow "${f.flow}": dependsOn names "${d}", which is not a flow of this connection (flows: ${[...names].join(', ')})`);
    }
  }
  orderFlows(flows);
}

/**
 * The flows in the order they must run: every flow after the flows it depends on, otherwise in declared order (so a
 * list without dependencies keeps its order). Dependencies outside the list (a disabled flow) do not order anything.
 * Throws FlowDependencyError for a cycle.
 */
export function orderFlows<F extends DependentFlow>(flows: readonly F[]): F[] {
  const byName = new Map(flows.map((f) => [f.flow, f]));
  const out: F[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (f: F, path: string[]): void => {
    const s = state.get(f.flow);
    if (s === 'done') return;
    if (s === 'visiting') {
      const cycle = [...path.slice(path.indexOf(f.flow)), f.flow];
      throw new FlowDependencyError(`flow dependencies form a cycle: ${cycle.join(' -> ')}; remove one of these dependsOn entries`);
    }
    state.set(f.flow, 'visiting');
    for (const d of f.dependsOn ?? []) {
      const dep = byName.get(d);
      if (dep) visit(dep, [...path, f.flow]);
    }
    state.set(f.flow, 'done');
    out.push(f);
  };
  for (const f of flows) visit(f, []);
  return out;
}

/**
 * How far `flow` may read (epoch ms): the lowest watermark of the enabled flows it depends on, or undefined when it
 * depends on none. A disabled dependency does not hold the flow back (its records then wait for their references
 * like any other missing one, and dead-letter naming it).
 */
export function dependencyCap(flow: DependentFlow, flows: readonly DependentFlow[], watermarkOf: (flow: string) => number | undefined): number | undefined {
  let cap: number | undefined;
  for (const d of flow.dependsOn ?? []) {
    const dep = flows.find((f) => f.flow === d);
    if (!dep || dep.enabled === false) continue;
    const w = watermarkOf(d);
    if (w === undefined) continue;
    cap = cap === undefined ? w : Math.min(cap, w);
  }
  return cap;
}
