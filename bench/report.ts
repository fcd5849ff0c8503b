import { cpus } from 'node:os';

/** One row of the table and one entry of latest.json. */
export interface Result {
  value: number;
  unit: string;
  /** Achieved / target or ml-connector / baseline, where a comparison exists. */
  ratio?: number;
  target: string;
  met?: boolean;
  note?: string;
  [extra: string]: unknown;
}

export const machine = () => ({ cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length });

const round = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toPrecision(2));

/** A markdown table: pasted as is into the README's Performance section. */
export function table(results: Record<string, Result>): string {
  const lines = ['| id | value | ratio | target | met | note |', '| --- | --- | --- | --- | --- | --- |'];
  for (const [id, r] of Object.entries(results)) {
    lines.push(`| ${id} | ${round(r.value)} ${r.unit} | ${r.ratio === undefined ? '' : round(r.ratio)} | ${r.target} | ${r.met === undefined ? '' : r.met ? 'yes' : 'no'} | ${r.note ?? ''} |`);
  }
  return lines.join('\n');
}
