/**
 * `npm run bench` (about 10 min), `npm run bench -- --quick` (under 3 min, smaller sizes), `--full` (adds the 100k
 * point of P7), `--only P1,P4` (a subset, e.g. `--only P8` or `--only P8,P9` runs those figures alone), `--profile` (CPU profile of P1's worker). Real Temporal dev server, PostgreSQL and simulators; prints a markdown
 * table and writes bench/results/latest.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { configureOutboundPolicy } from '../connectors/http/outbound-policy';
import { startServices } from './harness';
import { runP1P2 } from './p1-initial-sync';
import { pairsResult } from './p2-pair-result';
import { runP2Pairs } from './p2-pairs';
import { runP3 } from './p3-idle-poll';
import { runP4 } from './p4-rate-limit';
import { runP5 } from './p5-webhook-latency';
import { runP6 } from './p6-connections';
import { runP7 } from './p7-growth';
import { runP8 } from './p8-shared-budget';
import { runP9 } from './p9-partner-limits';
import { machine, table, type Result } from './report';
import { type SyncMeasure } from './sync-run';

const args = process.argv.slice(2);
// `--help` must not start the whole bench (about 10 min of both cores): it only says how to run a part of it.
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(
    [
      'usage: npm run bench [-- options]   (or: npx tsx bench/main.ts [options])',
      '  --only P1,P4   run only these figures (P2 comes with P1: same sync; P2 also syncs every pair\'s main flow)',
      '  --quick        smaller sizes, under 3 min',
      '  --full         adds the 100k point of P7',
      '  --profile      CPU-profiles P1\'s worker',
      '  --p9-probes asana,procore-spike,procore-hourly,jira-burst   some of P9\'s probes only',
      '  --p6-connections N --p6-interval S --p6-seconds S   P6 at another size (profiling: start smaller)',
      '',
    ].join('\n'),
  );
  process.exit(0);
}
const quick = args.includes('--quick');
const full = args.includes('--full');
/** CPU-profiles P1's worker (node --cpu-prof) and adds its heaviest functions to the P1 result. */
const profile = args.includes('--profile');
const onlyArg = args.find((a, i) => a.startsWith('--only') && (a.includes('=') || args[i + 1]));
const only = onlyArg ? (onlyArg.includes('=') ? onlyArg.split('=')[1]! : args[args.indexOf(onlyArg) + 1]!).toUpperCase().split(',') : undefined;
const wants = (id: string) => !only || only.includes(id);

/** Sizes per mode; quick keeps every benchmark meaningful but short. */
const SIZES = quick
  ? { p1: 2_000, p2Pairs: 500, p7: [500, 2_000], p3Polls: 15, p4Tasks: 1_500, p5Seconds: 10, p6: { connections: 200, intervalSeconds: 30, seconds: 45 }, p8Vouchers: 1_600, p9Seconds: { asana: 130, procore: 60, jira: 30 } }
  : { p1: 10_000, p2Pairs: 10_000, p7: full ? [1_000, 10_000, 100_000] : [1_000, 10_000], p3Polls: 50, p4Tasks: 5_000, p5Seconds: 60, p6: { connections: 10_000, intervalSeconds: 300, seconds: 320 }, p8Vouchers: 2_000, p9Seconds: { asana: 190, procore: 120, jira: 60 } };

/** `--name N` or `--name=N` as a number; undefined when absent. */
function numberArg(name: string): number | undefined {
  const i = args.findIndex((a) => a === name || a.startsWith(`${name}=`));
  if (i < 0) return undefined;
  const text = args[i]!.includes('=') ? args[i]!.split('=')[1]! : args[i + 1]!;
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive whole number, got "${text}"`);
  return n;
}
const p6Size = {
  connections: numberArg('--p6-connections') ?? SIZES.p6.connections,
  intervalSeconds: numberArg('--p6-interval') ?? SIZES.p6.intervalSeconds,
  seconds: numberArg('--p6-seconds') ?? SIZES.p6.seconds,
};

const p9ProbesArg = args.find((a, i) => a.startsWith('--p9-probes') && (a.includes('=') || args[i + 1]));
const p9Probes = p9ProbesArg ? (p9ProbesArg.includes('=') ? p9ProbesArg.split('=')[1]! : args[args.indexOf(p9ProbesArg) + 1]!).split(',') : undefined;

async function main(): Promise<void> {
  // The simulators are http://127.0.0.1: the admin-level setting `npm start` uses (inherited by the worker processes).
  process.env.MLC_ALLOW_PRIVATE_PARTNER_URLS = 'true';
  configureOutboundPolicy({ allowPrivateNetworks: true });
  const began = Date.now();
  const log = (line: string) => process.stderr.write(`[bench ${((Date.now() - began) / 1000).toFixed(0)}s] ${line}\n`);
  const services = await startServices(() => undefined);
  log(`Temporal ${services.temporalAddress}, data in ${services.runDir}`);
  const results: Record<string, Result> = {};
  const syncs: SyncMeasure[] = [];
  try {
    if (wants('P1') || wants('P2')) {
      const r = await runP1P2(services, SIZES.p1, log, { profile });
      Object.assign(results, { P1: r.P1, P2: r.P2 });
      syncs.push(r.sync);
    }
    // P2 for every pair's main flow (issue 20: "bench each pair that exists"), each with its own fault fixture.
    if (wants('P2')) results.P2 = pairsResult(results.P2!, await runP2Pairs(services, SIZES.p2Pairs, log));
    // P3 counts actions (not time), so it runs alongside P4, which mostly waits on Asana's per-minute budget.
    const [p3, p4] = await Promise.all([
      wants('P3') ? runP3(services, SIZES.p3Polls, log) : undefined,
      wants('P4') ? runP4(services, SIZES.p4Tasks, log) : undefined,
    ]);
    if (p3) results.P3 = p3;
    if (p4) results.P4 = p4;
    if (wants('P5')) results.P5 = await runP5(services, SIZES.p5Seconds, log);
    if (wants('P6')) results.P6 = await runP6(services, p6Size, log);
    if (wants('P7')) results.P7 = await runP7(services, SIZES.p7, syncs, log);
    // P9's probes are rate-bound (they wait on the partners' windows), so they run alongside P8's two workers.
    const [p8, p9] = await Promise.all([wants('P8') ? runP8(services, SIZES.p8Vouchers, log) : undefined, wants('P9') ? runP9(services, SIZES.p9Seconds, log, p9Probes) : undefined]);
    if (p8) results.P8 = p8;
    if (p9) results.P9 = p9;
  } finally {
    await services.stop();
  }
  const sorted = Object.fromEntries(Object.entries(results).sort(([a], [b]) => a.localeCompare(b)));
  const out = { ...sorted, machine: machine(), mode: quick ? 'quick' : full ? 'full' : 'default', finishedAt: new Date().toISOString(), seconds: (Date.now() - began) / 1000 };
  const dir = path.resolve(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'latest.json'), JSON.stringify(out, null, 2) + '\n');
  process.stdout.write(`\n${table(sorted)}\n\nmachine: ${out.machine.cpu}, ${out.machine.cores} cores; mode ${out.mode}; ${out.seconds.toFixed(0)} s\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
