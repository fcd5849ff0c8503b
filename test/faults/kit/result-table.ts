import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { testServices } from '../../support/env';

/** One row of the fault table: what a scenario did on one pair and whether the final state was exact. */
export interface ScenarioResult {
  scenario: string;
  pair: string;
  /** Fault runs within the scenario (R1: worker kills; R4: storm rounds; R5: sync + replay). */
  runs: number;
  recordsChecked: number;
  duplicates: number;
  missing: number;
  /** 5xx answers the partners' simulators gave during the scenario (injected storms). */
  partner5xx: number;
  pass: boolean;
  /** Extra measured numbers, printed after the table (429 share, requests per minute, durations). */
  notes: string[];
  failures: string[];
}

const COLUMNS: Array<[string, (r: ScenarioResult) => string]> = [
  ['scenario', (r) => r.scenario],
  ['pair', (r) => r.pair],
  ['runs', (r) => String(r.runs)],
  ['records checked', (r) => r.recordsChecked.toLocaleString('en-US')],
  ['duplicates', (r) => String(r.duplicates)],
  ['missing', (r) => String(r.missing)],
  ['5xx', (r) => String(r.partner5xx)],
  ['result', (r) => (r.pass ? 'pass' : 'FAIL')],
];

export const TABLE_HEADER = [`| ${COLUMNS.map(([h]) => h).join(' | ')} |`, `| ${COLUMNS.map(() => '---').join(' | ')} |`];

/** The result's row of the Markdown table (it goes into the README as printed) and its line of notes. */
export function formatRow(r: ScenarioResult): { row: string; note?: string } {
  const row = `| ${COLUMNS.map(([, f]) => f(r)).join(' | ')} |`;
  const details = [...r.notes, ...r.failures.map((f) => `FAILURE ${f}`)];
  return details.length > 0 ? { row, note: `- ${r.scenario} ${r.pair}: ${details.join('; ')}` } : { row };
}

export function formatTable(results: ScenarioResult[]): string {
  const formatted = results.map(formatRow);
  const notes = formatted.flatMap((f) => (f.note ? [f.note] : []));
  return [...TABLE_HEADER, ...formatted.map((f) => f.row), ...(notes.length ? ['', ...notes] : [])].join('\n');
}

/**
 * Where this jest run's results gather (beside the run's services, removed with them): each file appends its rows and
 * the fault table reporter prints them all at the end of the run.
 */
export function resultsFile(): string {
  return path.join(path.dirname(testServices().workflowBundle), 'fault-results.jsonl');
}

export function recordResult(result: ScenarioResult): void {
  const file = resultsFile();
  mkdirSync(path.dirname(file), { recursive: true });
  appendFileSync(file, `${JSON.stringify({ header: TABLE_HEADER, ...formatRow(result) })}\n`);
}
