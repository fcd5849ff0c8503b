import { z } from 'zod';
import { PartnerError } from '../../core/partner-error';
import { type PeopleSoftEndpoint } from './endpoint';
import { type PeopleSoftObject, peopleSoftObjects, rowKey } from './objects';
import { PARTNER } from './recognize-error';
import { type PeopleSoftRestClient } from './rest-client';

/**
 * Why a declared rowCap cannot be trusted on its own: the inquiry has no paging and no truncation flag
 * (partner-apis.md §1.1), and the rows a handler gets are capped outside our control, silently, at the smallest of the
 * handler's own MaxRows, the OPRID's Query Profile "Max Rows Fetched" and the application server's Max Fetch Size:
 * https://docs.oracle.com/en/applications/peoplesoft/peopletools/8.63/peoplecode-api-reference/runtorowset.html and
 * https://docs.oracle.com/cd/F44947_01/pt858pbr3/eng/pt/tpsq/task_UsingQueryProfiles-c07563.html
 * A gateway that stops below the declared cap answers a window of 601 rows with 500, which looks complete. So an
 * answer below the cap is checked: the rows changed at or after its last row's LASTUPDDTTM are read once more (the
 * handler orders by LASTUPDDTTM); a row in that tail the answer did not hold proves the answer was cut short.
 */

const envelopes = new Map<string, z.ZodType>();
/** The schema of an inquiry's answer, built once per object (a zod schema is costly to build, cheap to reuse). */
function envelope(root: string, collection: string): z.ZodType<Record<string, Record<string, unknown[] | undefined>>> {
  const key = `${root}\u0000${collection}`;
  if (!envelopes.has(key)) envelopes.set(key, z.object({ [root]: z.object({ [collection]: z.array(z.unknown()).optional() }).loose() }).loose());
  return envelopes.get(key) as z.ZodType<Record<string, Record<string, unknown[] | undefined>>>;
}

/** The raw rows of one inquiry call over [start, end); a document of another shape is a permanent error. */
export async function readRows(rest: PeopleSoftRestClient, object: PeopleSoftObject, start: number, end: number): Promise<unknown[]> {
  const def = peopleSoftObjects[object];
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
  return parsed.data[def.responseRoot]?.[def.collection] ?? [];
}

const stampOf = (raw: unknown): number => Date.parse(String((raw as Record<string, unknown> | null)?.LASTUPDDTTM ?? ''));

/**
 * Whether an answer of `rows` for [start, end) was cut short: reads the tail from its last row's LASTUPDDTTM (one
 * narrow request) and looks for a row the answer did not hold. `undefined` when there is nothing to check (no rows,
 * no readable LASTUPDDTTM, or the last row at the window's very end). Rows sharing the first instant of a window are
 * re-read from the instant after it (the same window again would prove nothing).
 */
export async function cutShort(rest: PeopleSoftRestClient, object: PeopleSoftObject, rows: unknown[], start: number, end: number): Promise<boolean | undefined> {
  const stamps = rows.map(stampOf).filter((t) => !Number.isNaN(t));
  if (stamps.length === 0) return undefined;
  const last = Math.max(...stamps);
  const from = last > start ? last : last + 1;
  if (from >= end) return undefined;
  const seen = new Set(rows.map((r) => rowKey(object, (r ?? {}) as Record<string, unknown>)));
  const tail = await readRows(rest, object, from, end);
  return tail.some((r) => !seen.has(rowKey(object, (r ?? {}) as Record<string, unknown>)));
}

/** The hint every row-cap finding carries: what the gateway really returns, and the setting to change. */
export function rowCapHint(object: PeopleSoftObject, endpoint: PeopleSoftEndpoint, gatewayCap: number): string {
  const op = peopleSoftObjects[object].operation;
  return (
    `${op} stops at ${gatewayCap} rows, below the connection's rowCap ${endpoint.rowCap}: set rowCap: ${gatewayCap} in the connection's peoplesoft config ` +
    `(or have the PeopleSoft administrator raise the limit to ${endpoint.rowCap}: the handler's MaxRows, the Query Profile "Max Rows Fetched" of the user's permission lists, the application server's Max Fetch Size)`
  );
}

export interface RowCapProbe {
  ok: boolean;
  message: string;
  code?: string;
}

/**
 * For `mlc connections test`: asks the inquiry for the widest window a sync asks for (maxWindowMs up to now) and
 * checks the answer against the declared rowCap. An answer of rowCap rows or more proves the gateway returns that
 * many; a shorter one that a tail read shows was cut short is the real cap, named with the fix. A window with fewer
 * rows than the real cap cannot prove it either way: syncs check every answer below the cap again (fetch-changed.ts).
 */
export async function probeRowCap(rest: PeopleSoftRestClient, endpoint: PeopleSoftEndpoint, object: PeopleSoftObject, now: Date): Promise<RowCapProbe> {
  const op = peopleSoftObjects[object].operation;
  const end = now.getTime() + 1_000;
  const start = end - endpoint.maxWindowMs;
  const days = Math.round(endpoint.maxWindowMs / 86_400_000);
  const rows = await readRows(rest, object, start, end);
  if (rows.length >= endpoint.rowCap) return { ok: true, message: `${op} returned ${rows.length} rows in one answer: the gateway honours rowCap ${endpoint.rowCap}` };
  if (rows.length === 0) return { ok: true, message: `${op} has no rows changed in the last ${days} days: nothing to check rowCap ${endpoint.rowCap} against yet (syncs check every answer)` };
  const short = await cutShort(rest, object, rows, start, end);
  if (short) return { ok: false, code: 'PS_ROW_CAP_ABOVE_GATEWAY', message: rowCapHint(object, endpoint, rows.length) };
  return { ok: true, message: `${op} returned all ${rows.length} rows changed in the last ${days} days in one answer (fewer than rowCap ${endpoint.rowCap}; syncs check every answer below it)` };
}
