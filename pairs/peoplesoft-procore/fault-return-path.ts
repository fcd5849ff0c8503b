import { componentInterfaces } from '../../connectors/peoplesoft';
import { getConnection, updateConnectionConfig } from '../../db/connections';
import { type Db } from '../../db/pool';
import { type RunningProcoreSimulator } from '../../simulators/procore';
import { type PeopleSoftSimAdmin } from '../../simulators/peoplesoft/admin-client';
import { canonicalDecimal } from '../../test/faults/kit/compare-state';
import type { PartnerRecord, RecordState, ReturnPathSurface } from '../../test/faults/kit/fault-fixture';
import { HOUSEKEEPING_WEBHOOK } from './webhook-housekeeping';
import { directCostKey, journalIdOf } from './map-costs';

type Json = Record<string, unknown>;

/** Lines of each cost a site team enters, in cents so the expected total is exact. */
const centsOf = (n: number) => [100_25 + n, 5_00, 1_234_567_89 - n];
const text = (cents: number) => `${Math.trunc(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;

/**
 * R1 on PeopleSoft <- Procore: the site team enters direct costs in Procore; Procore's webhook (our hook, registered
 * by the pair's housekeeping once the connection has a webhook base URL) reaches the suite's API, the inbox posts the
 * cost's GL journal through the journal Component Interface. The journal id is fixed per cost (map-costs.ts
 * journalIdOf) and the CI's Get comes first, so a retried attempt after a kill finds the journal and posts nothing:
 * each cost must end as one journal whose lines sum to the cost, posted by exactly one CI write.
 */
export async function procoreReturnPath(opts: { pool: Db; connectionId: string; apiUrl: string; psAdmin: PeopleSoftSimAdmin; procore: RunningProcoreSimulator; projectId: string }): Promise<ReturnPathSurface> {
  const { pool, connectionId, psAdmin, procore, projectId } = opts;
  const row = (await getConnection(pool, connectionId))!;
  const webhooks = row.config.webhooks as Json;
  await updateConnectionConfig(pool, connectionId, { ...row.config, webhooks: { ...webhooks, baseUrl: opts.apiUrl } });
  const baseline = (await psAdmin.effects()).length;
  /** Per decided cost key: its journal id and the cents of its lines. */
  const decided = new Map<string, { journalId: string; cents: number[] }>();
  const byJournal = () => new Map([...decided].map(([key, d]) => [d.journalId, key]));

  return {
    writes: 'PeopleSoft GL journals through the journal CI, one per Procore direct cost',
    async live() {
      const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM housekeeping_runs WHERE connection_id = $1 AND task = $2 AND last_success_at IS NOT NULL`, [connectionId, HOUSEKEEPING_WEBHOOK]);
      return rows[0]!.n > 0;
    },
    async decide(count) {
      const keys: string[] = [];
      for (let i = 0; i < count; i++) {
        const cents = centsOf(decided.size);
        const dc = await procore.admin.addDirectCost(projectId, cents.map(text));
        const key = directCostKey(projectId, String(dc.id));
        decided.set(key, { journalId: journalIdOf('D', procore.companyId, projectId, String(dc.id)), cents });
        keys.push(key);
      }
      return keys;
    },
    async expected(): Promise<RecordState[]> {
      return [...decided].map(([key, d]) => ({ key, fields: { lines: String(d.cents.length), total: canonicalDecimal(text(d.cents.reduce((a, b) => a + b, 0))) } }));
    },
    async actual(): Promise<PartnerRecord[]> {
      const keyOf = byJournal();
      const lines = new Map<string, Json[]>();
      for (const l of (await psAdmin.rows('journalLine')) as Json[]) {
        const id = String(l.JOURNAL_ID);
        if (keyOf.has(id)) lines.set(id, [...(lines.get(id) ?? []), l]);
      }
      return [...lines].map(([id, ls]) => {
        const cents = ls.reduce((sum, l) => sum + Math.round(Number(l.MONETARY_AMOUNT) * 100), 0);
        return { key: keyOf.get(id)!, targetId: id, fields: { lines: String(ls.length), total: canonicalDecimal(text(cents)) } };
      });
    },
    async writeCounts() {
      const keyOf = byJournal();
      const out = new Map<string, number>();
      for (const e of (await psAdmin.effects()).slice(baseline)) {
        const id = e.ci === componentInterfaces.journal ? String(e.keys.JOURNAL_ID) : undefined;
        const key = (id && keyOf.get(id)) ?? `${e.ci} ${JSON.stringify(e.keys)}`;
        out.set(key, (out.get(key) ?? 0) + 1);
      }
      return out;
    },
  };
}
