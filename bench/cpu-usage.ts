import { readdirSync, readFileSync } from 'node:fs';

/** Linux USER_HZ: /proc/<pid>/stat counts CPU time in these ticks. */
const TICKS_PER_SECOND = 100;

export type CpuByPart = Record<string, number>;
/** CPU seconds so far per process, with the part it belongs to. */
export type CpuSnapshot = Map<number, { part: string; seconds: number }>;

/**
 * CPU seconds used so far by each part of a benchmark, from /proc: the ml-connector worker (its pid), this process
 * (the partner simulators and the API), PostgreSQL (the `postgres` processes) and the Temporal dev server. Only
 * processes this bench started count (descendants of this process): on a machine shared with other jobs, their own
 * PostgreSQL and Temporal servers are not ours. Two snapshots' difference says where a run spent the machine's
 * cores, which wall-clock rates alone cannot.
 */
export function cpuSnapshot(workerPid?: number): CpuSnapshot {
  const procs = new Map<number, { comm: string; ppid: number; seconds: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const seconds = (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND; // utime, stime
    procs.set(Number(entry), { comm, ppid: Number(fields[1]), seconds });
  }
  const ours = (pid: number): boolean => {
    for (let p = pid, hops = 0; p > 1 && hops < 64; hops += 1) {
      if (p === process.pid) return true;
      p = procs.get(p)?.ppid ?? 0;
    }
    return false;
  };
  const out: CpuSnapshot = new Map();
  for (const [pid, { comm, seconds }] of procs) {
    const part = pid === workerPid ? 'worker' : pid === process.pid ? PARTS[1] : !ours(pid) ? undefined : comm === 'postgres' ? 'postgres' : comm.startsWith('temporal') ? 'temporal' : undefined;
    if (part) out.set(pid, { part, seconds });
  }
  return out;
}

const PARTS = ['worker', 'bench process (simulators, API)', 'postgres', 'temporal'] as const;

/** Per process, so one that exits or starts between the snapshots (a PostgreSQL backend) never makes a part negative. */
export function cpuDelta(before: CpuSnapshot, after: CpuSnapshot): CpuByPart {
  const out: CpuByPart = Object.fromEntries(PARTS.map((p) => [p, 0]));
  for (const [pid, { part, seconds }] of after) out[part] = (out[part] ?? 0) + seconds - (before.get(pid)?.seconds ?? 0);
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, Math.round(v * 100) / 100]));
}
