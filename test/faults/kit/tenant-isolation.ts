import { randomBytes } from 'node:crypto';
import { createApiKey } from '../../../api/auth/create-api-key';
import { statusQuery, syncWorkflowId } from '../../../core/sync-messages';
import { upsertDeadLetter } from '../../../db/dead-letters';
import { eventually } from '../../support/worker-process';
import { closeApiScenario, openApiScenario, type ApiScenario } from '../../api/api-harness';
import { type ScenarioResult } from './result-table';

/**
 * Tables whose rows move by themselves while a worker runs (its lease heartbeat), not by anything a caller asks:
 * left out of the before/after comparison. Everything else that carries a connection_id is compared row by row.
 */
const MOVING_ON_THEIR_OWN = new Set(['connection_leases']);

type Json = Record<string, unknown>;
interface Attempt {
  method: string;
  path: string;
  body?: unknown;
}

/** Every table with a connection_id, B's rows in each as text (and B's connections row): what A must not change. */
async function snapshot(s: ApiScenario, connectionId: string): Promise<Map<string, string[]>> {
  const tables = await s.pool.query<{ table_name: string }>(
    `SELECT DISTINCT table_name FROM information_schema.columns WHERE table_schema = current_schema() AND column_name = 'connection_id' ORDER BY table_name`,
  );
  const out = new Map<string, string[]>();
  for (const { table_name } of tables.rows) {
    if (MOVING_ON_THEIR_OWN.has(table_name)) continue;
    const rows = await s.pool.query<{ row: string }>(`SELECT t::text AS row FROM "${table_name}" t WHERE connection_id = $1 ORDER BY 1`, [connectionId]);
    out.set(table_name, rows.rows.map((r) => r.row));
  }
  const own = await s.pool.query<{ row: string }>(`SELECT t::text AS row FROM connections t WHERE id = $1`, [connectionId]);
  out.set('connections', own.rows.map((r) => r.row));
  return out;
}

/**
 * The requests A's key sends at B: every operation of /openapi.json, path ids set to B's connection (and, for the
 * dead-letter replay, B's letter under A's own connection as well), bodies valid so that a missing check would act.
 */
function attemptsAt(doc: Json, b: { id: string; letterId: string; body: Json }, a: { id: string }): Attempt[] {
  const bodies: Record<string, unknown[]> = {
    'post /v1/connections': [{ ...b.body, id: b.id }, { ...b.body, id: `${b.id}-copy`, customerId: 'acme' }],
    'patch /v1/connections/{id}': [{ config: { ...(b.body.config as Json), schedule: '@every 60s' } }, { credentials: b.body.credentials }],
    'post /v1/connections/{id}/dead-letters/replay': [{}, { recordKeys: ['voucher:US001/1'] }],
    'post /codec/decode': [{ payloads: [] }],
    'post /codec/encode': [{ payloads: [{ metadata: { encoding: 'anNvbi9wbGFpbg==' }, data: 'e30=' }] }],
  };
  const queries: Record<string, string[]> = {
    'get /v1/connections': ['', '?customerId=acme', `?afterId=${encodeURIComponent(b.id.slice(0, -1))}`],
    'get /v1/connections/{id}/dead-letters': ['', '?status=open'],
    'get /v1/connections/{id}/audit': ['', '?limit=500'],
  };
  const out: Attempt[] = [];
  for (const [template, ops] of Object.entries(doc.paths as Record<string, Json>)) {
    for (const [method, op] of Object.entries(ops)) {
      const opKey = `${method} ${template}`;
      const paths = [template.replace('{id}', encodeURIComponent(b.id)).replace('{deadLetterId}', b.letterId)];
      if (template.includes('{deadLetterId}')) paths.push(template.replace('{id}', encodeURIComponent(a.id)).replace('{deadLetterId}', b.letterId));
      const withBody = (op as Json).requestBody ? (bodies[opKey] ?? [{}]) : [undefined];
      for (const path of paths) for (const query of queries[opKey] ?? ['']) for (const body of withBody) out.push({ method: method.toUpperCase(), path: `${path}${query}`, body });
    }
  }
  return out;
}

/**
 * R9: customer A's API key against customer B's connection over every route of /openapi.json, `rounds` times. A sees
 * nothing of B (no 2xx about B, B's marker in no answer) and changes nothing of B (every row B owns, in every table,
 * identical before and after; B's workflow not paused, not polled). 0 answers of 5xx.
 */
export async function tenantIsolation(opts: { rounds: number; records: number }): Promise<ScenarioResult> {
  const began = Date.now();
  const { db, client, s } = await openApiScenario('tenant-isolation', { voucher: opts.records, requisition: opts.records });
  const bId = 'acme-isolated';
  const aId = 'globex-own';
  try {
    await s.startWorker();
    // B's marker: in its config (schedule) and its dead letter; an answer to A holding it has shown A something of B's.
    const marker = `${3000 + (randomBytes(2).readUInt16BE() % 5000)}`;
    const bBody: Json = { ...s.connectionBody(bId, 'acme'), config: { ...(s.connectionBody(bId).config as Json), schedule: `@every ${marker}s` } };
    for (const body of [bBody, s.connectionBody(aId, 'globex')] as Json[]) {
      const res = await s.call('POST', '/v1/connections', { body });
      if (res.status !== 201) throw new Error(`could not create ${String(body.id)}: ${res.status} ${JSON.stringify(res.body)}`);
    }
    const handle = client.workflow.getHandle(syncWorkflowId(bId));
    await eventually(async () => {
      const st = await handle.query(statusQuery);
      return st.totals.polls >= 1 && st.state === 'idle';
    }, 180_000, "B's first sync");
    await upsertDeadLetter(s.pool, { connectionId: bId, flow: 'ps-vouchers-to-asana-tasks', recordKey: 'voucher:US001/999999', errorMessage: `refused, marker ${marker}s`, rawResponse: `{"marker":"${marker}s"}` });
    const letterId = String((await s.pool.query<{ id: string }>(`SELECT id::text FROM dead_letters WHERE connection_id = $1`, [bId])).rows[0]!.id);
    const aKey = (await createApiKey(s.pool, { kind: 'customer', customerId: 'globex' })).key;

    const before = await snapshot(s, bId);
    const statusBefore = await handle.query(statusQuery);
    const doc = (await s.call('GET', '/openapi.json', { key: null })).body as Json;
    const attempts = attemptsAt(doc, { id: bId, letterId, body: bBody }, { id: aId });
    const failures: string[] = [];
    const statuses: Record<string, number> = {};
    let serverErrors = 0;
    for (let round = 0; round < opts.rounds; round++) {
      for (const at of attempts) {
        const res = await fetch(`${s.api.baseUrl}${at.path}`, {
          method: at.method,
          headers: { authorization: `Bearer ${aKey}`, ...(at.body === undefined ? {} : { 'content-type': 'application/json' }) },
          body: at.body === undefined ? undefined : JSON.stringify(at.body),
        });
        const text = await res.text();
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        const about = `${at.method} ${at.path}`;
        if (res.status >= 500) {
          serverErrors += 1;
          failures.push(`${about}: ${res.status} ${text.slice(0, 200)}`);
        }
        if (text.includes(`${marker}s`)) failures.push(`${about}: ${res.status}, the answer shows B's data`);
        const createsOwn = at.method === 'POST' && at.path === '/v1/connections' && res.status === 201;
        if (res.status < 300 && at.path.includes(bId) && !createsOwn) failures.push(`${about}: ${res.status} to A's key on B's connection`);
        if (createsOwn) failures.push(`${about}: created ${text.slice(0, 200)} in another customer's name or id`);
      }
    }
    const after = await snapshot(s, bId);
    let rows = 0;
    for (const [table, list] of before) {
      rows += list.length;
      const now = after.get(table) ?? [];
      const changed = list.filter((r) => !now.includes(r)).length + now.filter((r) => !list.includes(r)).length;
      if (changed > 0) failures.push(`table ${table}: ${changed} of B's rows changed (${list.length} before, ${now.length} after)`);
    }
    const statusAfter = await handle.query(statusQuery);
    if (statusAfter.totals.polls !== statusBefore.totals.polls) failures.push(`B polled ${statusAfter.totals.polls - statusBefore.totals.polls} more times: A's key started a sync`);
    if (statusAfter.paused !== statusBefore.paused) failures.push(`B's pause state changed: ${statusBefore.paused} -> ${statusAfter.paused}`);
    if (rows < 10) failures.push(`only ${rows} rows of B's to compare: nothing was at stake`);
    const requests = attempts.length * opts.rounds;
    const histogram = Object.entries(statuses).map(([st, n]) => `${st}: ${n}`).join(', ');
    return {
      scenario: 'R9 tenant isolation',
      pair: 'API, every /openapi.json route',
      runs: requests,
      recordsChecked: rows,
      duplicates: 0,
      missing: 0,
      partner5xx: serverErrors,
      pass: failures.length === 0,
      notes: [`${attempts.length} requests per round over ${Object.keys(doc.paths as Json).length} paths, ${opts.rounds} rounds: { ${histogram} }; ${rows} of B's rows in ${before.size} tables unchanged; ${((Date.now() - began) / 1000).toFixed(0)} s`],
      failures: failures.slice(0, 50),
    };
  } finally {
    await closeApiScenario({ db, client, s }, [syncWorkflowId(bId), syncWorkflowId(aId)]);
  }
}
