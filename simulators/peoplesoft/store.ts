import { type SimClock } from '../kit/clock';
import { type Row, type TableName, tableNames, tables } from './tables';

/** One write a Component Interface call made, kept so tests can assert what the connector really changed. */
export interface Effect {
  seq: number;
  at: string;
  operation: string;
  oprid: string;
  ci: string;
  method: 'Create' | 'Update';
  keys: Record<string, string | number>;
  fields: Row;
}

export function keyOf(table: TableName, row: Row): string {
  return tables[table].keys.map((k) => String(row[k] ?? '')).join('|');
}

/** In-memory PeopleSoft tables. Every write stamps LASTUPDDTTM from the simulator clock, as PeopleSoft's save does. */
export class PsStore {
  private readonly rows = new Map<TableName, Map<string, Row>>(tableNames.map((t) => [t, new Map<string, Row>()]));
  readonly effects: Effect[] = [];

  constructor(private readonly clock: SimClock) {}

  private table(name: TableName): Map<string, Row> {
    const t = this.rows.get(name);
    if (!t) throw new Error(`unknown table ${name}`);
    return t;
  }

  clear(): void {
    for (const t of this.rows.values()) t.clear();
    this.effects.length = 0;
  }

  get(table: TableName, keys: Record<string, string | number>): Row | undefined {
    return this.table(table).get(keyOf(table, keys));
  }

  all(table: TableName): Row[] {
    return [...this.table(table).values()];
  }

  count(table: TableName): number {
    return this.table(table).size;
  }

  /** Seeding passes its own LASTUPDDTTM so history is spread over a date range; every other write uses the clock. */
  insert(table: TableName, row: Row, lastUpdated?: string): Row {
    const stored = { ...row, LASTUPDDTTM: lastUpdated ?? this.clock.now().toISOString() };
    this.table(table).set(keyOf(table, stored), stored);
    return stored;
  }

  /** A save: LASTUPDDTTM from the clock, or `lastUpdated` (a save at that instant of the database's clock, R11's edges). */
  update(table: TableName, keys: Record<string, string | number>, patch: Row, lastUpdated?: string): Row | undefined {
    const current = this.get(table, keys);
    if (!current) return undefined;
    const next = { ...current, ...patch, LASTUPDDTTM: lastUpdated ?? this.clock.now().toISOString() };
    this.table(table).set(keyOf(table, next), next);
    return next;
  }

  /** A row deleted in PeopleSoft (by a user or a purge): true when it existed. */
  remove(table: TableName, keys: Record<string, string | number>): boolean {
    return this.table(table).delete(keyOf(table, keys));
  }

  /** Rows with fromIso <= LASTUPDDTTM < toIso, ordered by LASTUPDDTTM then key (what an ORDER BY in the handler gives). */
  changedBetween(table: TableName, fromIso: string, toIso: string): Row[] {
    const from = Date.parse(fromIso);
    const to = Date.parse(toIso);
    return this.all(table)
      .filter((r) => {
        const at = Date.parse(String(r.LASTUPDDTTM));
        return at >= from && at < to;
      })
      .sort((a, b) => {
        const byTime = Date.parse(String(a.LASTUPDDTTM)) - Date.parse(String(b.LASTUPDDTTM));
        if (byTime !== 0) return byTime;
        const ka = keyOf(table, a);
        const kb = keyOf(table, b);
        return ka < kb ? -1 : ka > kb ? 1 : 0;
      });
  }

  logEffect(effect: Omit<Effect, 'seq' | 'at'>): Effect {
    const full = { ...effect, seq: this.effects.length + 1, at: this.clock.now().toISOString() };
    this.effects.push(full);
    return full;
  }
}
