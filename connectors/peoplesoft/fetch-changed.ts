import { z } from 'zod';
import { PartnerError } from '../../core/partner-error';
import { type PeopleSoftEndpoint } from './endpoint';
import { type PeopleSoftObject, type PeopleSoftRow, peopleSoftObjects, rowKey } from './objects';
import { PARTNER } from './recognize-error';
import { type PeopleSoftRestClient } from './rest-client';
import { cutShort, readRows, rowCapHint } from './row-cap';

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
  /** HTTP requests made, including the ones that hit the row cap and were split, and the tail reads checking answers. */
  requests: number;
  /** Set when the gateway cut an answer short below the declared rowCap: what it really returns (every row was still read). */
  gatewayRowCap?: number;
}

/**
 * Rows of `object` whose LASTUPDDTTM falls in [from, to). The inquiry has no paging (partner-apis.md §1.1: "the
 * framework has none documented"), only a row cap; a response that reaches the cap may be missing rows, so that
 * window is split in halves and fetched again until every piece fits. Windows are also bounded by maxWindowMs and
 * fetched one after the other: a first sync must not fill the app server's Tuxedo queue with year-wide scans.
 * The gateway may stop below the declared cap without saying so (row-cap.ts): an answer below the cap is checked by
 * one narrow tail read until some answer has reached the declared cap (the gateway then returns that many); one found
 * cut short is split like a capped one, its size is the cap from then on, and it is reported in `gatewayRowCap`.
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
  /** The gateway's real cap once an answer below the declared one was found cut short. */
  let gatewayRowCap: number | undefined;
  /** An answer held the declared cap: the gateway returns that many, so shorter answers are whole. */
  let capHonoured = false;

  const fetchWindow = async (start: number, end: number): Promise<void> => {
    requests += 1;
    const rows = await readRows(rest, object, start, end);
    const cap = Math.min(endpoint.rowCap, gatewayRowCap ?? Infinity);
    if (rows.length >= endpoint.rowCap) capHonoured = true;
    let full = rows.length >= cap;
    // Below a cap the gateway has returned (the declared one, or the one it was found to stop at), an answer is whole.
    if (!full && !capHonoured && gatewayRowCap === undefined && rows.length > 0) {
      const short = await cutShort(rest, object, rows, start, end);
      if (short !== undefined) requests += 1;
      if (short) {
        full = true;
        gatewayRowCap = Math.min(gatewayRowCap ?? Infinity, rows.length);
      }
    }
    if (full) {
      if (end - start <= 1) {
        throw new PartnerError(`PeopleSoft ${def.operation}: ${rows.length} rows share LASTUPDDTTM ${new Date(start).toISOString()}`, {
          partner: PARTNER,
          operation: def.operation,
          decision: { retry: false, reason: 'window cannot be split below one millisecond' },
          code: 'PS_ROW_CAP_UNSPLITTABLE',
          hint:
            gatewayRowCap !== undefined
              ? `More than ${gatewayRowCap} ${object} rows have the same LASTUPDDTTM (a mass update). ${rowCapHint(object, endpoint, gatewayRowCap)}.`
              : `More than ${endpoint.rowCap} ${object} rows have the same LASTUPDDTTM (a mass update). Ask your PeopleSoft administrator to raise the row cap of ${def.operation} and set rowCap on the connection to match.`,
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
  return { rows, invalid, requests, ...(gatewayRowCap !== undefined ? { gatewayRowCap } : {}) };
}
