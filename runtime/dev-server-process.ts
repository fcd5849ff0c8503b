// Process plumbing of the dev server: readiness probes, the watchdog that takes the server down with us, the
// output tail kept for error messages, and the lock that keeps two servers off one SQLite file.
import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fs, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import net, { type Socket } from 'node:net';

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function canConnect(host: string, p: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ host, port: p });
    const done = (ok: boolean): void => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(1000, () => done(false));
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
  });
}

// Runs as a separate detached node process holding a pipe from us. When we die (even by SIGKILL) the pipe
// closes, and it takes the server's process group down with it. It exits on its own once the server is gone.
const WATCHDOG_SCRIPT = `
const pid = Number(process.argv[1]); const grace = Number(process.argv[2]);
const alive = () => { try { process.kill(pid, 0); return true; } catch (e) { return e.code === 'EPERM'; } };
const kill = (sig) => { try { process.kill(-pid, sig); } catch { try { process.kill(pid, sig); } catch {} } };
setInterval(() => { if (!alive()) process.exit(0); }, 1000);
const onParentGone = () => { kill('SIGTERM'); setTimeout(() => { kill('SIGKILL'); process.exit(0); }, grace); };
process.stdin.on('end', onParentGone); process.stdin.on('error', onParentGone); process.stdin.resume();
`;

export function startWatchdog(pid: number, graceMs: number): ChildProcess {
  const env = { ...process.env };
  // The watchdog is plain JS: no tsx/ts-node loaders or inspector flags inherited from the parent.
  delete env.NODE_OPTIONS;
  const dog = spawn(process.execPath, ['-e', WATCHDOG_SCRIPT, String(pid), String(graceMs)], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
    env,
  });
  dog.on('error', () => undefined);
  // Neither the process nor our end of its pipe may keep this process alive.
  dog.unref();
  (dog.stdin as Socket | null)?.unref();
  return dog;
}

export class OutputTail {
  private lines: string[] = [];
  private partial = '';
  constructor(
    private readonly max: number,
    private readonly onLine?: (line: string) => void,
  ) {}
  push(chunk: string): void {
    const parts = (this.partial + chunk).split('\n');
    this.partial = parts.pop() ?? '';
    for (const line of parts) {
      this.onLine?.(line);
      this.lines.push(line);
      if (this.lines.length > this.max) this.lines.shift();
    }
  }
  text(): string {
    return [...this.lines, this.partial].filter(Boolean).join('\n');
  }
}

export async function waitForUi(url: string, deadline: number): Promise<void> {
  let last = 'no response';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.status === 200) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await sleep(200);
  }
  throw new Error(`Temporal UI at ${url} did not answer 200 (last: ${last})`);
}

export interface DbLock {
  /** Records the server pid, so a lock outliving its owner process is still honoured while the server runs. */
  setServerPid(pid: number): void;
  release(): void;
}

/**
 * Two dev servers on one SQLite file both start fine and then fight over shard ownership (stuck workflows,
 * "shard ownership lost"), e.g. `npm start` and `npm run temporal` in two terminals. An O_EXCL lock file next to
 * the db refuses the second one; a lock whose processes are all gone is stale and taken over.
 */
export async function lockDbFile(dbFile: string, log: (line: string) => void): Promise<DbLock> {
  const lockPath = `${dbFile}.lock`;
  const write = (info: { pid: number; serverPid?: number }): void => {
    writeFileSync(lockPath, JSON.stringify({ ...info, host: hostname() }));
  };
  for (;;) {
    try {
      const handle = await fs.open(lockPath, 'wx');
      await handle.writeFile(JSON.stringify({ pid: process.pid, host: hostname() }));
      await handle.close();
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    let holder: { pid?: number; serverPid?: number; host?: string } = {};
    try {
      holder = JSON.parse(readFileSync(lockPath, 'utf8')) as typeof holder;
    } catch {
      // half-written by a process that died mid-write: treat as stale
    }
    const alive = [holder.pid, holder.serverPid].some((p) => p !== undefined && pidAlive(p));
    if (alive && holder.host === hostname()) {
      throw new Error(
        `${dbFile} is in use by another Temporal dev server (process ${String(holder.pid)}, server ${String(holder.serverPid ?? '?')}). ` +
          'Stop it (or connect to it), or start this one with another db file or in memory.',
      );
    }
    log(`removing stale ${lockPath} (its processes are gone)`);
    rmSync(lockPath, { force: true });
  }
  let released = false;
  const onExit = (): void => {
    if (!released) rmSync(lockPath, { force: true });
  };
  process.once('exit', onExit);
  return {
    setServerPid: (serverPid) => write({ pid: process.pid, serverPid }),
    release: () => {
      if (released) return;
      released = true;
      process.removeListener('exit', onExit);
      rmSync(lockPath, { force: true });
    },
  };
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
