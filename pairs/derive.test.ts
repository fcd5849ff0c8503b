import { flowRegistryFrom } from '../activities';
import { CredentialCipher } from '../db/credential-cipher';
import { type Db } from '../db/pool';
import { pairs } from './index';
import { assertValidPairs, flowSettingsFor, switchedOn } from './derive';
import { type FlowDeclaration, type PairDefinition } from './types';

const base = pairs[0]!;
// A shipped flow's factory and windows, but none of its own switch or dependencies: each test says what it needs.
const flow = (name: string, extra: Partial<FlowDeclaration> = {}): FlowDeclaration => ({ ...base.flows[0]!, switch: undefined, dependsOn: undefined, name, ...extra });
const pair = (id: string, flows: FlowDeclaration[], workflowType = `${id}Sync`): PairDefinition => ({ ...base, id, workflowType, flows });
const deps = { pool: {} as Db, cipher: new CredentialCipher(`k1:${Buffer.alloc(32, 1).toString('base64')}`) };

describe('pairs derived from their declarations', () => {
  it('refuses at boot two pairs with one id or one workflow type, a flow named twice in a pair, and a dependency on an undeclared flow', () => {
    expect(() => flowRegistryFrom([pair('a', [flow('x')]), pair('a', [flow('y')], 'other')], deps)).toThrow('pair "a" is declared twice');
    expect(() => flowRegistryFrom([pair('a', [flow('x')], 'same'), pair('b', [flow('y')], 'same')], deps)).toThrow('workflow type "same" is declared twice');
    expect(() => flowRegistryFrom([pair('a', [flow('x'), flow('x')])], deps)).toThrow('pair a: flow "x" is declared twice');
    expect(() => assertValidPairs([pair('a', [flow('po', { dependsOn: ['vendors'] })])])).toThrow('flow po depends on "vendors", which the pair does not declare');
  });

  it('keys flows by (pair, flow): two pairs may name a flow alike', () => {
    const registry = flowRegistryFrom([pair('a', [flow('x')]), pair('b', [flow('x')])], deps);
    expect(Object.keys(registry.flows)).toEqual(['a', 'b']);
    expect(Object.keys(registry.flows.a!)).toEqual(['x']);
    expect(Object.keys(registry.flows.b!)).toEqual(['x']);
  });

  it('hands dependsOn and conflictRule to the workflow in FlowSettings, and reads switches with their defaults', () => {
    const vendors = flow('vendors', { switch: { key: 'vendors', defaultOn: false } });
    const orders = flow('orders', { dependsOn: ['vendors'], conflictRule: { financialFieldsWin: 'peoplesoft', fields: ['amount'], otherwise: 'source-wins' } });
    const declared = pair('p', [vendors, orders]);
    const config = base.configSchema.parse(validConfig());
    const { flows } = flowSettingsFor(declared, config, new Date('2026-11-01T00:00:00Z'));
    expect(flows.map((f) => [f.flow, f.enabled, f.dependsOn, f.conflictRule])).toEqual([
      ['vendors', false, undefined, undefined],
      ['orders', true, ['vendors'], { financialFieldsWin: 'peoplesoft', fields: ['amount'], otherwise: 'source-wins' }],
    ]);
    expect(switchedOn({ flows: { vendors: true } }, vendors.switch)).toBe(true);
    expect(switchedOn({}, undefined)).toBe(true);
  });

  it('lists every shipped pair once, valid', () => {
    expect(() => assertValidPairs(pairs)).not.toThrow();
    expect(new Set(pairs.map((p) => p.id)).size).toBe(pairs.length);
  });
});

/** A minimal PeopleSoft <-> Asana config: the first declared pair's schema fills in the defaults. */
function validConfig(): Record<string, unknown> {
  const field = (type: string) => ({ fieldGid: '1', type });
  return {
    peoplesoft: { baseUrl: 'http://127.0.0.1:1', node: 'PSFT_EP' },
    asana: { workspaceGid: '1', projectGid: '2' },
    fields: {
      invoiceId: field('text'), requisitionId: field('text'), businessUnit: field('text'), vendorOrRequester: field('text'),
      amount: field('number'), dueDate: field('date'), status: { fieldGid: '1', type: 'enum', enumOptions: { P: '1', A: '2', D: '3' } }, externalKey: field('text'),
    },
  };
}
