import { dependencyCap, orderFlows, validateFlowDependencies } from './flow-dependencies';
import { syncStartOptions } from './sync-start';

describe('flow dependencies', () => {
  const f = (flow: string, dependsOn?: string[], enabled = true) => ({ flow, dependsOn, enabled });

  it('orders every flow after what it depends on, otherwise keeps the declared order', () => {
    const flows = [f('lines', ['orders']), f('tasks'), f('orders', ['vendors', 'accounts']), f('vendors'), f('accounts')];
    expect(orderFlows(flows).map((x) => x.flow)).toEqual(['vendors', 'accounts', 'orders', 'lines', 'tasks']);
    expect(orderFlows([f('a'), f('b'), f('c')]).map((x) => x.flow)).toEqual(['a', 'b', 'c']);
  });

  it('refuses cycles, self-dependencies and unknown flows, naming them', () => {
    expect(() => validateFlowDependencies([f('a', ['b']), f('b', ['c']), f('c', ['a'])])).toThrow('flow dependencies form a cycle: a -> b -> c -> a');
    expect(() => validateFlowDependencies([f('a', ['a'])])).toThrow('flow "a": dependsOn names the flow itself');
    expect(() => validateFlowDependencies([f('a', ['vendors'])])).toThrow('flow "a": dependsOn names "vendors", which is not a flow of this connection');
    const input = { connectionId: 'c', customerId: 'x', pair: 'p', schedule: '@every 1h', flows: [{ flow: 'a', overlapMs: 0, maxWindowMs: 1, initialFrom: '2026-01-01T00:00:00Z', enabled: true, dependsOn: ['a'] }] };
    expect(() => syncStartOptions(input, 'q')).toThrow('dependsOn names the flow itself');
  });

  it('caps a flow at the lowest watermark of its enabled dependencies', () => {
    const flows = [f('v'), f('g'), f('off', undefined, false), f('po', ['v', 'g', 'off'])];
    const watermarks: Record<string, number> = { v: 300, g: 200, off: 100 };
    expect(dependencyCap(flows[3]!, flows, (d) => watermarks[d])).toBe(200);
    expect(dependencyCap(flows[0]!, flows, (d) => watermarks[d])).toBeUndefined();
  });
});
