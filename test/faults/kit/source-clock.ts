/** R11's source clock surface for flows that read PeopleSoft by LASTUPDDTTM (pairs/<pair>/fault-fixture.ts). */
import { type PeopleSoftSimAdmin } from '../../../simulators/peoplesoft/admin-client';
import { type TableName } from '../../../simulators/peoplesoft/tables';
import { type SourceClockSurface } from './fault-fixture';

type Row = Record<string, unknown>;

export interface PeopleSoftEdit {
  flow: string;
  table: TableName;
  /** The row's record key as the fixture's expected() names it; undefined for rows the flow does not sync. */
  keyOf(row: Row): string | undefined;
  /** The row's key fields, as PATCH /__admin/rows wants them. */
  keysOf(row: Row): Record<string, string>;
  /** A new value for a field the fixture compares; `n` grows with every edit of the run, so each edit differs. */
  edit(row: Row, n: number): Record<string, string | number>;
}

/**
 * The PeopleSoft simulator's clock (its database server's, which stamps LASTUPDDTTM on every save) and edits of one
 * table's rows, saved through the admin surface like a user's save, at the clock's now or at an exact instant.
 */
export function peopleSoftSourceClock(psAdmin: PeopleSoftSimAdmin, spec: PeopleSoftEdit): SourceClockSurface {
  const edited = new Set<string>();
  return {
    flow: spec.flow,
    simulator: 'peoplesoft',
    setSkew: async (ms) => void (await psAdmin.setClockSkew(ms)),
    async change(count, atMs) {
      // Rows spread over the table (every third one first), so edits do not all land on the oldest records.
      const rows = ((await psAdmin.rows(spec.table)) as Row[]).filter((r) => spec.keyOf(r) !== undefined && !edited.has(spec.keyOf(r)!));
      const order = [...rows.filter((_, i) => i % 3 === 0), ...rows.filter((_, i) => i % 3 !== 0)];
      if (order.length < count) throw new Error(`R11: ${order.length} unedited ${spec.table} rows left, ${count} wanted: raise the scenario's records`);
      const keys: string[] = [];
      for (const row of order.slice(0, count)) {
        const key = spec.keyOf(row)!;
        edited.add(key);
        await psAdmin.updateRow(spec.table, spec.keysOf(row), spec.edit(row, edited.size), atMs === undefined ? undefined : new Date(atMs).toISOString());
        keys.push(key);
      }
      return keys;
    },
  };
}

/** A decimal amount moved by `n` cents, as text (no float): `1234.5` + 3 -> `1234.53`. */
export function bumpAmount(value: unknown, n: number): string {
  const [int = '0', frac = ''] = String(value ?? '0').split('.');
  const cents = BigInt(int) * 100n + BigInt(`${frac}00`.slice(0, 2)) * (int.startsWith('-') ? -1n : 1n) + BigInt(n);
  const sign = cents < 0n ? '-' : '';
  const abs = cents < 0n ? -cents : cents;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}
