/**
 * One P9 probe in its own process: a partner simulator with its published limits, the product's connector (its
 * limiter over the PostgreSQL rate budget, as a worker runs it) calling in lanes until the time is up, then one JSON
 * line on stdout and exit (calls still waiting out a limit window are abandoned with the process).
 * Usage: tsx bench/p9-probe.ts <asana|procore-spike|procore-hourly|jira-burst> <databaseUrl> <seconds>
 */
import { createAsanaConnector } from '../connectors/asana';
import { configureOutboundPolicy } from '../connectors/http/outbound-policy';
import { RateLimiterRegistry } from '../connectors/http/rate-limiter';
import { createJiraConnector } from '../connectors/jira';
import { createProcoreConnector } from '../connectors/procore';
import { createPool } from '../db/pool';
import { pgRateBudgetStore } from '../db/rate-budgets';
import { APPROVAL_FIELDS, APPROVAL_USERS } from '../pairs/peoplesoft-asana/demo-world';
import { startAsanaSimulator } from '../simulators/asana';
import { startJiraSimulator } from '../simulators/jira';
import { startProcoreSimulator } from '../simulators/procore';
import { perMinuteUtilisation } from './utilisation';

export interface ProbeResult {
  probe: string;
  limit: string;
  utilisation: number;
  requests: number;
  rejected429: number;
  share429: number;
  seconds: number;
  /** Mean time of one call as the lanes saw it (limiter wait + request): with `lanes` callers, what bounds the rate. */
  meanCallMs?: number;
  lanes?: number;
  /** CPU seconds this probe process (client and simulator) used per second: near its share of the machine = CPU-bound. */
  probeCpuPerSecond?: number;
}

const [probe, databaseUrl, secondsArg] = process.argv.slice(2);

/**
 * `lanes` callers each repeating `call` until `seconds` have passed; failures count, they do not stop a lane. Returns
 * at the deadline even when calls are still waiting out a window (Procore's hourly reset is an hour away).
 */
const calls = { n: 0, ms: 0, lanes: 0 };
async function lanes(n: number, seconds: number, call: (i: number) => Promise<unknown>): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  let next = 0;
  calls.lanes = n;
  const all = Promise.all(
    Array.from({ length: n }, async () => {
      while (Date.now() < deadline) {
        const t = Date.now();
        await call(next++).catch(() => undefined);
        calls.n += 1;
        calls.ms += Date.now() - t;
      }
    }),
  );
  await Promise.race([all, new Promise((resolve) => setTimeout(resolve, seconds * 1000 + 2000))]);
}

async function main(): Promise<ProbeResult> {
  configureOutboundPolicy({ allowPrivateNetworks: true });
  const pool = createPool(databaseUrl!, 4);
  const limiters = new RateLimiterRegistry(Date.now, pgRateBudgetStore(pool));
  const seconds = Number(secondsArg);
  if (probe === 'asana') {
    const sim = await startAsanaSimulator({ port: 0 });
    const world = await sim.admin.seed({ users: APPROVAL_USERS, customFields: APPROVAL_FIELDS });
    await sim.admin.setRateLimits({ requestsPerMinute: 1500 });
    const asana = createAsanaConnector({ baseUrl: sim.apiUrl, workspaceGid: world.workspaceGid, projectGid: world.projectGid, token: world.users[0]!.token }, { limiters });
    await lanes(16, seconds, (i) => asana.createTask({ name: `P9 ${i}` }));
    const u = perMinuteUtilisation((await sim.admin.requests()).filter((r) => r.tokenHash !== null), 1500);
    return { probe, limit: '1,500 requests/min per token', utilisation: u.utilisation, requests: u.requests, rejected429: u.rejected429, share429: u.share429, seconds };
  }
  if (probe === 'procore-spike' || probe === 'procore-hourly') {
    const sim = await startProcoreSimulator({ port: 0 });
    // Spike: the documented example (25 per 10 s) with the hour out of reach; hourly: 400/h with the spike out of reach
    // (the simulator's hour is a real hour, so the probe uses a small hourly limit and counts what it let through).
    const spike = probe === 'procore-spike';
    await sim.admin.setRateLimits(spike ? { hourly: 1_000_000, spike: 25, spikeWindowMs: 10_000 } : { hourly: 400, spike: 100_000, spikeWindowMs: 10_000 });
    const procore = createProcoreConnector({ apiUrl: sim.apiUrl, loginUrl: sim.apiUrl, companyId: sim.companyId, perPage: 50 }, { method: 'client_credentials', ...sim.client }, { limiters });
    await procore.authorize();
    const before = (await sim.admin.rateLimits()).counts;
    // The spike window rolls, so the most it lets through in K whole windows from the first request is 25 K: counted
    // at the end of the last whole window (a partial last window would count a burst the run had no time to send).
    const windows = Math.max(1, Math.floor(seconds / 10));
    const atWholeWindows = spike ? new Promise<typeof before>((resolve) => setTimeout(() => void sim.admin.rateLimits().then((r) => resolve(r.counts)), windows * 10_000)) : undefined;
    await lanes(4, seconds, (i) => procore.syncVendor({ origin_id: `vendor:P9/${i}`, name: `P9 ${i}` }));
    const after = atWholeWindows ? await atWholeWindows : (await sim.admin.rateLimits()).counts;
    const requests = after.requests - before.requests;
    const rejected = after.tooManyRequests - before.tooManyRequests;
    const accepted = requests - rejected;
    const allowed = spike ? 25 * windows : 400;
    return { probe, limit: spike ? '25 per 10 s (spike)' : '400 per hour (hourly, scaled down)', utilisation: accepted / allowed, requests, rejected429: rejected, share429: requests ? rejected / requests : 0, seconds };
  }
  if (probe === 'jira-burst') {
    const sim = await startJiraSimulator();
    await sim.admin.setRateLimits({ readRps: 100 });
    const jira = createJiraConnector({ siteUrl: sim.siteUrl, projectKey: 'PROC', auth: { method: 'basic', email: sim.world.user.email, apiToken: sim.world.user.apiToken } }, { limiters });
    await sim.admin.resetRateLimitStats();
    const t0 = Date.now();
    await lanes(24, seconds, () => jira.resolveFieldIds(['Amount']));
    const stats = await sim.admin.rateLimitStats();
    const rejected = Object.values(stats.refused).reduce((a, b) => a + b, 0);
    const elapsed = (Date.now() - t0) / 1000;
    return { probe, limit: '100 GET/s burst per tenant', utilisation: (stats.requests - rejected) / (100 * elapsed), requests: stats.requests, rejected429: rejected, share429: stats.requests ? rejected / stats.requests : 0, seconds };
  }
  throw new Error(`unknown probe ${probe}: one of asana, procore-spike, procore-hourly, jira-burst`);
}

const began = Date.now();
main().then(
  (r) => {
    const cpu = process.cpuUsage();
    const extra = { meanCallMs: calls.n ? calls.ms / calls.n : undefined, lanes: calls.lanes, probeCpuPerSecond: (cpu.user + cpu.system) / 1e6 / ((Date.now() - began) / 1000) };
    process.stdout.write(`${JSON.stringify({ ...r, ...extra })}\n`);
    process.exit(0);
  },
  (err: unknown) => {
    process.stderr.write(`p9 probe failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
