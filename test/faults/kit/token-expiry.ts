import { eventually } from '../../support/worker-process';
import { type FixtureDeps, type PairFaultFixture } from './fault-fixture';
import { FaultRun } from './fault-run';
import { type ScenarioResult } from './result-table';
import { judge, type ScenarioSize } from './scenarios';

/**
 * R10: two worker processes on the connection's task queue; every live token of every OAuth partner of the pair
 * (opened with `oauth`, so PeopleSoft, Asana and Jira use theirs too) expires at once (the partner revokes or times
 * them out) with the first sync mid-way: once it has been granted its tokens and has written a tenth of the records.
 * A partner only read at the start of a poll (TokenSurface.readAtStartOnly) is not called once writes are under way,
 * so its tokens expire at once right after its first grant, while its reads go on. Exactly one new grant per partner
 * (the workers share one refresh through oauth_tokens, nobody grants twice), no failed call: the final state exact
 * with no dead letter.
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
    // One expiry for the partners only read at the start of a poll, right after their grant; one for the others, mid-writes.
    const stages = [tokens.filter(([, t]) => t.readAtStartOnly === true), tokens.filter(([, t]) => t.readAtStartOnly !== true)].filter((s) => s.length > 0);
    const granted = new Map<string, number>();
    const expiries: string[] = [];
    let linkedAtExpiry = 0;
    for (const stage of stages) {
      const names = stage.map(([n]) => n).join(', ');
      await eventually(async () => {
        for (const [name, t] of stage) if ((await t.grants()) <= before.get(name)!) return false;
        return true;
      }, size.settleMs, `the first grant of ${names}`);
      // Mid-sync: some records written with the first token, the rest must be written after every token expired.
      const some = stage[0]![1].readAtStartOnly === true ? 0 : Math.max(1, Math.floor(total / 10));
      await eventually(async () => (await run.linkedCount()) >= some, size.settleMs, `${some} of ${total} records written before the expiry`);
      for (const [name, t] of stage) granted.set(name, await t.grants());
      for (const [, t] of stage) await t.expireAll();
      linkedAtExpiry = await run.linkedCount();
      expiries.push(`${names} tokens expired with ${linkedAtExpiry} of ${total} records written${some === 0 ? ' (only read, at the start of a poll: right after the first grant, reads under way)' : ''}`);
    }
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
    if (linkedAtExpiry >= total) failures.push(`the sync had finished (${linkedAtExpiry} of ${total}) before the tokens expired: nothing was tested`);
    result.failures.unshift(...failures);
    result.pass = result.failures.length === 0;
    result.notes.push(`${expiries.join('; ')}; 2 workers; ${grants.join('; ')}; ${((Date.now() - began) / 1000).toFixed(0)} s`);
    return result;
  };
  return body().finally(() => run.close());
}
