import { z } from 'zod';
import { PartnerError } from '../../core/partner-error';
import { type PeopleSoftEndpoint } from './endpoint';
import { type PeopleSoftObject, type PeopleSoftRow, peopleSoftObjects, rowKey } from './objects';
import { PARTNER } from './recognize-error';
import { type PeopleSoftRestClient } from './rest-client';

export interface ChangedWindow {
  /** Inclusive lower bound on LASTUPDDTTM. */
  from: Date;
  /** Exclusive upper bound; the next poll starts here. */
  to: Date;
}

export interface InvalidRow {
  key: string;
  issues: string;
  raw: unknown;
}

export interface FetchChangedResult<O extends PeopleSoftObject> {
  /** Each row once (latest LASTUPDDTTM wins), ordered by LASTUPDDTTM then key. */
  rows: PeopleSoftRow<O>[];
  /** Rows PeopleSoft sent that fail our schema: handed back for the dead-letter table, never dropped silently. */
  invalid: InvalidRow[];
  /** HTTP requests made, including the ones that hit the row cap and were split. */
  requests: number;
}

const envelope = (root: string, collection: string) =>
  z.object({ [root]: z.object({ [collection]: z.array(z.unknown()).optional() }).loose() }).loose();

/**
 * Rows of `object` whose LASTUPDDTTM falls in [from, to). The inquiry has no paging (partner-apis.md §1.1: "the
 * framework has none documented"), only a row cap; a response that reaches the cap may be missing rows, so that
 * window is split in halves and fetched again until every piece fits. Windows are also bounded by maxWindowMs and
 * fetched one after the other: a first sync must not fill the app server's Tuxedo queue with year-wide scans.
 */
export async function fetchChanged<O extends PeopleSoftObject>(
  rest: PeopleSoftRestClient,
  endpoint: PeopleSoftEndpoint,
  object: O,
  window: ChangedWindow,
): Promise<FetchChangedResult<O>> {
  const def = peopleSoftObjects[object];
  const from = window.from.getTime();
  const to = window.to.getTime();
  if (!(from < to)) throw new RangeError(`fetchChanged(${object}): from must be before to`);
  const byKey = new Map<string, { at: number; row: PeopleSoftRow<O> }>();
  const invalid: InvalidRow[] = [];
  let requests = 0;

  const fetchWindow = async (start: number, end: number): Promise<void> => {
    requests += 1;
    // Custom inquiry built per object; URL shape: https://ib.books.cedarhillsgroup.com/listeningconnectors/restlisteningconnector/
    const json = await rest.getJson(def.operation, { LASTUPDDTTM_FROM: new Date(start).toISOString(), LASTUPDDTTM_TO: new Date(end).toISOString() });
    const parsed = envelope(def.responseRoot, def.collection).safeParse(json);
    if (!parsed.success) {
      throw new PartnerError(`PeopleSoft ${def.operation}: response is not a ${def.responseRoot} document`, {
        partner: PARTNER,
        operation: def.operation,
        status: 200,
        rawBody: JSON.stringify(json).slice(0, 64 * 1024),
        decision: { retry: false, reason: 'unexpected response shape' },
        code: 'PS_UNEXPECTED_RESPONSE',
        hint: `The handler of ${def.operation} returns a different document than the connector expects ({"${def.responseRoot}":{"${def.collection}":[…]}}); compare it with the service operation definition we ship.`,
      });
    }
    const rows = (parsed.data[def.responseRoot] as Record<string, unknown[] | undefined>)[def.collection] ?? [];
    if (rows.length >= endpoint.rowCap) {
      if (end - start <= 1) {
        throw new PartnerError(`PeopleSoft ${def.operation}: ${rows.length} rows share LASTUPDDTTM ${new Date(start).toISOString()}`, {
          partner: PARTNER,
          operation: def.operation,
          decision: { retry: false, reason: 'window cannot be split below one millisecond' },
          code: 'PS_ROW_CAP_UNSPLITTABLE',
          hint: `More than ${endpoint.rowCap} ${object} rows have the same LASTUPDDTTM (a mass update). Ask your PeopleSoft administrator to raise the row cap of ${def.operation} and set rowCap on the connection to match.`,
        });
      }
      const mid = start + Math.floor((end - start) / 2);
      await fetchWindow(start, mid);
      await fetchWindow(mid, end);
      return;
    }
    for (const raw of rows) {
      const result = def.schema.safeParse(raw);
      const key = rowKey(object, (raw ?? {}) as Record<string, unknown>);
      if (!result.success) {
        invalid.push({ key, issues: z.prettifyError(result.error), raw });
        continue;
      }
      const row = result.data as PeopleSoftRow<O>;
      const at = Date.parse(row.LASTUPDDTTM);
      const seen = byKey.get(key);
      if (!seen || seen.at <= at) byKey.set(key, { at, row });
    }
  };

  for (let start = from; start < to; start += endpoint.maxWindowMs) {
    await fetchWindow(start, Math.min(to, start + endpoint.maxWindowMs));
  }
  const rows = [...byKey.entries()]
    .sort(([ka, a], [kb, b]) => a.at - b.at || (ka < kb ? -1 : ka > kb ? 1 : 0))
    .map(([, v]) => v.row);
  return { rows, invalid, requests };
}
