import { eventually } from '../../support/worker-process';
import { type FixtureDeps, type PairFaultFixture } from './fault-fixture';
import { FaultRun } from './fault-run';
import { type ScenarioResult } from './result-table';
import { judge, type ScenarioSize } from './scenarios';

/**
 * R10: two worker processes on the connection's task queue; once the first sync has been granted its tokens and
 * has written a tenth of the records (right after the grant for a partner only read, see TokenSurface), every live token of every OAuth partner of the pair expires at once (the partner revokes or times them out), with
 * the sync mid-way. Exactly one new grant per partner (the workers share one refresh through oauth_tokens, nobody
 * grants twice), no failed call: the final state exact with no dead letter.
 */
export function tokenExpiry(fixture: PairFaultFixture, deps: FixtureDeps, size: ScenarioSize): Promise<ScenarioResult> {
  const run = new FaultRun(fixture, deps);
  const body = async (): Promise<ScenarioResult> => {
    const began = Date.now();
    // OAuth credentials for every partner that has a grant, not only for those with nothing else (fault-fixture.ts).
    const world = await run.open(size.records, { oauth: true });
    const tokens = Object.entries(world.tokens ?? {});
    const total = (await world.expected()).length;
    const failures: string[] = [];
    if (tokens.length === 0) failures.push(`${fixture.pairId} names OAuth partners but its world has no token surface`);
    const before = new Map<string, number>();
    for (const [name, t] of tokens) before.set(name, await t.grants());
    await run.startWorker();
    await run.startExtraWorker();
    await run.startWorkflow();
    await eventually(async () => {
      for (const [name, t] of tokens) if ((await t.grants()) <= before.get(name)!) return false;
      return true;
    }, size.settleMs, `the first grant of ${tokens.map(([n]) => n).join(', ')}`);
    // Mid-sync: some records written with the first token, the rest must be written after every token expired.
    const readOnly = tokens.every(([, t]) => t.readAtStartOnly === true);
    const some = readOnly ? 0 : Math.max(1, Math.floor(total / 10));
    await eventually(async () => (await run.linkedCount()) >= some, size.settleMs, `${some} of ${total} records written before the expiry`);
    const granted = new Map<string, number>();
    for (const [name, t] of tokens) granted.set(name, await t.grants());
    for (const [, t] of tokens) await t.expireAll();
    const linkedAtExpiry = await run.linkedCount();
    await run.settle(total, size.settleMs);
    // Grants are counted before the final state is read: a fixture may read the partner with a client of its own.
    const afterExpiry = new Map<string, number>();
    for (const [name, t] of tokens) afterExpiry.set(name, (await t.grants()) - granted.get(name)!);
    const result = judge('R10 token expiry, 2 workers', fixture.pairId, 1, await run.finalState(), { deadLettersAllowed: false });
    const grants: string[] = [];
    for (const [name] of tokens) {
      const after = afterExpiry.get(name)!;
      grants.push(`${name} ${granted.get(name)! - before.get(name)!} grant(s) before the expiry, ${after} after`);
      if (after !== 1) failures.push(`${name}: ${after} grants after every token expired, expected exactly 1`);
    }
    if (readOnly) result.notes.push('the partner is only read, at the start of the poll: its tokens expired right after the first grant, reads under way');
    if (linkedAtExpiry >= total) failures.push(`the sync had finished (${linkedAtExpiry} of ${total}) before the tokens expired: nothing was tested`);
    result.failures.unshift(...failures);
    result.pass = result.failures.length === 0;
    result.notes.push(`tokens expired with ${linkedAtExpiry} of ${total} records written, 2 workers; ${grants.join('; ')}; ${((Date.now() - began) / 1000).toFixed(0)} s`);
    return result;
  };
  return body().finally(() => run.close());
}
