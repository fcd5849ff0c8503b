/**
 * `mlc`: the platform engineer's command line over the HTTP API. The API URL and key come from MLC_API_URL and
 * MLC_API_KEY, or --api-url and --api-key; locally, with neither set, from the admin key `npm start` stored in .data/. Tables by default, --json for scripts; failures exit 1 with one line.
 */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { apiClient, CliError, type ApiCall } from './api-client';
import { resolveApiTarget } from './api-target';
import { formatTable } from './format-table';
import { renderStatusFrame, watchStatus, type StatusView } from './status-watch';

type Json = Record<string, unknown>;

const program = new Command('mlc')
  .description('ml-connector control plane: create, watch and repair customer connections')
  .option('--api-url <url>', 'API base URL (env MLC_API_URL; default: the local API npm start runs)')
  .option('--api-key <key>', 'API key (env MLC_API_KEY)')
  .option('--json', 'print the API response as JSON');

function api(): ApiCall {
  const { url, key } = resolveApiTarget(program.opts<{ apiUrl?: string; apiKey?: string }>(), process.env);
  return apiClient(url, key);
}

function print(value: unknown, human: () => string): void {
  process.stdout.write(program.opts<{ json?: boolean }>().json ? `${JSON.stringify(value, null, 2)}\n` : human());
}

const path = (id: string, rest = '') => `/v1/connections/${encodeURIComponent(id)}${rest}`;

function readDocument(file: string): unknown {
  const text = readFileSync(file, 'utf8');
  try {
    return /\.json$/i.test(file) ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new CliError(`${file} is not valid ${/\.json$/i.test(file) ? 'JSON' : 'YAML'}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
  }
}

const summary = (c: Json) => ({ id: c.id, customer: c.customerId, pair: c.pair, status: c.status, workflow: c.workflowId });
const showConnection = (c: Json) =>
  formatTable([summary(c)], ['id', 'customer', 'pair', 'status', 'workflow']) + `credentials: ${JSON.stringify(c.credentials)}\nTemporal UI: ${String(c.temporalUiUrl)}\n`;

const connections = program.command('connections').alias('c').description('customer connections');

connections
  .command('create')
  .requiredOption('-f, --file <file>', 'connection definition (YAML or JSON)')
  .action(async (o: { file: string }) => {
    const created = (await api()('POST', '/v1/connections', readDocument(o.file))) as Json;
    print(created, () => `created ${String(created.id)}; its sync workflow is running\n${showConnection(created)}`);
  });

connections
  .command('list')
  .option('--customer <id>')
  .option('--pair <pair>')
  .option('--status <status>', 'active, paused or deleted')
  .action(async (o: { customer?: string; pair?: string; status?: string }) => {
    const q = new URLSearchParams(Object.entries({ customerId: o.customer, pair: o.pair, status: o.status }).filter((e): e is [string, string] => e[1] !== undefined));
    const res = (await api()('GET', `/v1/connections${q.size ? `?${q}` : ''}`)) as { connections: Json[] };
    print(res, () => formatTable(res.connections.map(summary), ['id', 'customer', 'pair', 'status', 'workflow']));
  });

connections.command('show <id>').action(async (id: string) => {
  const c = (await api()('GET', path(id))) as Json;
  print(c, () => showConnection(c));
});

connections
  .command('status <id>')
  .option('--watch', 'redraw per-flow counts, the current window and the rate until interrupted')
  .option('--interval <seconds>', 'seconds between frames with --watch', '2')
  .option('--frames <n>', 'stop after n frames (scripts, tests)')
  .action(async (id: string, o: { watch?: boolean; interval: string; frames?: string }) => {
    const call = api();
    const fetchStatus = async () => (await call('GET', path(id, '/status'))) as StatusView;
    if (o.watch) {
      const intervalMs = Number(o.interval) * 1000;
      const frames = o.frames === undefined ? undefined : Number(o.frames);
      if (!(intervalMs >= 500)) throw new CliError(`--interval must be a number of seconds, at least 0.5; got ${o.interval}`);
      if (frames !== undefined && !(Number.isInteger(frames) && frames > 0)) throw new CliError(`--frames must be a positive whole number; got ${o.frames}`);
      await watchStatus({ id, fetch: fetchStatus, write: (t) => process.stdout.write(t), isTTY: Boolean(process.stdout.isTTY), intervalMs, frames });
      return;
    }
    const s = (await fetchStatus()) as StatusView & Json;
    print(s, () => renderStatusFrame(id, { at: Date.now(), status: s }));
  });

connections.command('test <id>').action(async (id: string) => {
  const r = (await api()('POST', path(id, '/test'))) as { ok: boolean; checks: Json[] };
  print(r, () => formatTable(r.checks.map((c) => ({ ...c, result: c.ok ? 'ok' : 'FAILED' })), ['system', 'check', 'result', 'message']) + (r.ok ? 'all checks passed\n' : 'some checks failed: fix what the messages say, then test again\n'));
  if (!r.ok) process.exitCode = 1;
});

for (const action of ['pause', 'resume', 'sync'] as const) {
  connections.command(`${action} <id>`).action(async (id: string) => {
    const r = (await api()('POST', path(id, `/${action}`))) as Json;
    print(r, () => `${action} sent to ${id} (status ${String(r.status)})\n`);
  });
}

connections.command('dry-run <id>').action(async (id: string) => {
  const r = (await api()('POST', path(id, '/dry-run'))) as { flows: Array<Json & { counts: Json; records: Json[] }> };
  print(r, () =>
    formatTable(r.flows.map((f) => ({ flow: f.flow, from: f.from, to: f.to, ...f.counts, error: f.error })), ['flow', 'from', 'to', 'create', 'update', 'skip', 'fail', 'error']) +
    formatTable(r.flows.flatMap((f) => f.records.filter((x) => x.action !== 'skip').map((x) => ({ flow: f.flow, ...x }))), ['flow', 'key', 'action', 'targetId', 'reason']),
  );
});

connections
  .command('dead-letters <id>')
  .option('--replay', 'replay all open dead letters (or only --record)')
  .option('--record <key>', 'only this record key')
  .option('--flow <flow>')
  .action(async (id: string, o: { replay?: boolean; record?: string; flow?: string }) => {
    const call = api();
    if (o.replay) {
      const r = (await call('POST', path(id, '/dead-letters/replay'), { ...(o.record ? { recordKeys: [o.record] } : {}), ...(o.flow ? { flow: o.flow } : {}) })) as Json;
      print(r, () => `replayed ${String(r.attempted)}: ${String(r.resolved)} resolved, ${String(r.stillFailing)} still failing\n`);
      return;
    }
    const q = new URLSearchParams(Object.entries({ recordKey: o.record, flow: o.flow }).filter((e): e is [string, string] => e[1] !== undefined));
    const r = (await call('GET', path(id, `/dead-letters${q.size ? `?${q}` : ''}`))) as { deadLetters: Json[] };
    print(r, () => formatTable(r.deadLetters, ['id', 'flow', 'recordKey', 'errorCode', 'attempts', 'lastFailedAt', 'errorMessage']));
  });

connections
  .command('audit <id>')
  .option('--record <key>', 'only this record key')
  .option('--after <id>', 'page: events after this audit id', '0')
  .option('--limit <n>', 'page size', '100')
  .action(async (id: string, o: { record?: string; after: string; limit: string }) => {
    const q = new URLSearchParams({ afterId: o.after, limit: o.limit, ...(o.record ? { recordKey: o.record } : {}) });
    const r = (await api()('GET', path(id, `/audit?${q}`))) as { events: Json[]; nextAfterId: number | null };
    print(r, () => formatTable(r.events, ['id', 'createdAt', 'flow', 'recordKey', 'action', 'outcome', 'targetId', 'errorCode']) + (r.nextAfterId ? `more: --after ${r.nextAfterId}\n` : ''));
  });

connections.command('roster <id>').action(async (id: string) => {
  const r = (await api()('GET', path(id, '/roster'))) as { counts: Json; roster: Json[] };
  const c = r.counts;
  print(r, () => formatTable(r.roster, ['emplid', 'oprid', 'name', 'email', 'emplStatus', 'status', 'asanaUserGid', 'asanaUserName']) + `${String(c.employees)} employees: ${String(c.matched)} matched, ${String(c.noAsanaAccount)} without an Asana account, ${String(c.inactive)} inactive\n`);
});

connections.command('delete <id>').action(async (id: string) => {
  const r = (await api()('DELETE', path(id))) as Json;
  print(r, () => `deleted ${id}: workflow stopped, secrets dropped, audit trail kept\n`);
});

program.parseAsync().catch((err: unknown) => {
  // One line, no stack: the reason is for a human or a script's log.
  const message = err instanceof CliError ? err.message : err instanceof Error ? err.message : String(err);
  process.stderr.write(`mlc: ${message.split('\n')[0]}\n`);
  process.exit(1);
});
