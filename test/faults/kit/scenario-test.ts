import { formatTable, recordResult, type ScenarioResult } from './result-table';

/**
 * One scenario that is not per pair (R6, R9) as a jest test: its row goes to the fault table like the pair
 * scenarios' (printed by the reporter), a thrown error becomes a failed row, and the test fails on any failure.
 */
export function scenarioTest(title: string, row: { scenario: string; pair: string }, run: () => Promise<ScenarioResult>, timeoutMs: number): void {
  it(title, async () => {
    const result = await run().catch(
      (err: unknown): ScenarioResult => ({ ...row, runs: 0, recordsChecked: 0, duplicates: 0, missing: 0, partner5xx: 0, pass: false, notes: [], failures: [err instanceof Error ? err.message : String(err)] }),
    );
    recordResult(result);
    process.stdout.write(`\n${formatTable([result])}\n`);
    expect(result.failures).toEqual([]);
    expect(result.recordsChecked).toBeGreaterThan(0);
  }, timeoutMs);
}
