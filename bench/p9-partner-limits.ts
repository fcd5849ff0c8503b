/**
 * P9: per-partner limit utilisation, for every partner that has a pair and a published per-credential limit: Asana
 * (1,500/min per token), Procore (spike window and hourly window, per app and company), Jira (burst per tenant; its
 * points quota applies to OAuth apps only and is not probed). Each probe runs the product's connector in its own
 * process (bench/p9-probe.ts) against the partner's simulator, with the PostgreSQL rate budget a worker uses.
 * Goal: >= 95% of the published limit and <= 1% 429s, for each.
 */
import { spawn } from 'node:child_process';
import { cpus } from 'node:os';
import path from 'node:path';
import { type Services } from './harness';
import { type ProbeResult } from './p9-probe';
import { type Result } from './report';

const ROOT = path.resolve(__dirname, '..');

function runProbe(probe: string, databaseUrl: string, seconds: number): Promise<ProbeResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench', 'p9-probe.ts'), probe, databaseUrl, String(seconds)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!) as ProbeResult) : reject(new Error(`P9 probe ${probe} exited with ${code}`))));
  });
}

export const P9_PROBES = ['asana', 'procore-spike', 'procore-hourly', 'jira-burst'] as const;

/** `only` narrows the run to some probes (`--p9-probes jira-burst`); the figure is met only when every probe ran. */
export async function runP9(services: Services, seconds: { asana: number; procore: number; jira: number }, log: (l: string) => void, only?: string[]): Promise<Result> {
  const unknown = (only ?? []).filter((p) => !(P9_PROBES as readonly string[]).includes(p));
  if (unknown.length > 0) throw new Error(`--p9-probes: unknown probe ${unknown.join(', ')}; one of ${P9_PROBES.join(', ')}`);
  const probes = ([
    ['asana', seconds.asana],
    ['procore-spike', seconds.procore],
    ['procore-hourly', seconds.procore],
    ['jira-burst', seconds.jira],
  ] as [string, number][]).filter(([p]) => !only || only.includes(p));
  log(`P9: ${probes.map(([p, s]) => `${p} ${s}s`).join(', ')} (in parallel, one process each)`);
  const results = await Promise.all(probes.map(async ([probe, s]) => runProbe(probe, (await services.database(`p9-${probe}`)).url, s)));
  const worst = results.reduce((a, b) => (b.utilisation < a.utilisation ? b : a));
  const met = results.length === P9_PROBES.length && results.every((r) => r.utilisation >= 0.95 && r.share429 <= 0.01);
  return {
    value: worst.utilisation,
    unit: `of the published limit (lowest: ${worst.probe})`,
    ratio: worst.utilisation / 0.95,
    target: '>= 0.95 each, <= 1% 429s',
    met,
    cpus: cpus().length,
    probes: results,
    note: results
      .map((r) => `${r.probe} ${(r.utilisation * 100).toFixed(1)}% of ${r.limit}, ${(r.share429 * 100).toFixed(2)}% 429 (${r.rejected429}/${r.requests}; ${r.lanes} lanes, ${r.meanCallMs?.toFixed(0)} ms a call, probe CPU ${r.probeCpuPerSecond?.toFixed(2)} s/s)`)
      .join('; '),
  };
}
