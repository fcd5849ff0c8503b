import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { migrateUp } from '../../../db/migrate';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../../db/embedded-postgres';
import { createPool, type Db } from '../../../db/pool';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A PostgreSQL server of R3's own (never the run's shared one, which every other test file uses): a real embedded
 * postgres binary on a data directory of its own, on a fixed port, migrated. `kill()` SIGKILLs the postmaster (no
 * shutdown checkpoint, backends cut off mid-transaction); `restart()` starts the same binary on the same data
 * directory and port, so it goes through crash recovery and every pool that pointed at it reconnects by itself.
 */
export class KillablePostgres {
  private server?: EmbeddedPostgres;
  private readonly dir = path.join(ROOT, '.data', 'test', `faults-pg-${process.pid}-${randomUUID().slice(0, 8)}`);
  port = 0;
  url = '';
  pool!: Db;
  kills = 0;

  async start(): Promise<void> {
    await this.boot();
    this.pool = createPool(this.url, 20);
    await migrateUp(this.pool);
  }

  /** The postmaster's pid as it wrote it in postmaster.pid, and its process group (the supervisor's). */
  private postmaster(): { pid: number; group: number } {
    const pid = Number(readFileSync(path.join(this.dir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
    const group = Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[2]);
    return { pid, group };
  }

  /**
   * SIGKILL of the postmaster, as a crash or the OOM killer would do it. Its backends notice the postmaster's death
   * and exit; the embedded package's supervisor (same process group, harness only) goes too, so that nothing holds
   * the data directory's shared memory when it restarts.
   */
  async kill(): Promise<void> {
    const { pid, group } = this.postmaster();
    process.kill(pid, 'SIGKILL');
    this.kills += 1;
    const deadline = Date.now() + 30_000;
    while (alive(pid) && Date.now() < deadline) await sleep(50);
    try {
      process.kill(-group, 'SIGKILL');
    } catch {
      // The group is already gone.
    }
    while (Date.now() < deadline) {
      try {
        process.kill(-group, 0);
      } catch {
        break;
      }
      await sleep(50);
    }
    // Its stdin pipe is closed by now: stop() only notes that the supervisor has exited.
    await this.server?.stop();
    this.server = undefined;
  }

  /** The same server again on the same data directory and port: crash recovery, then connections are accepted. */
  async restart(): Promise<void> {
    await this.boot();
  }

  private async boot(): Promise<void> {
    // A port just released can take a moment to bind again; the data directory's stale postmaster.pid is cleared.
    let last: unknown;
    for (let i = 0; i < 5; i++) {
      try {
        this.server = await startEmbeddedPostgres({ dataDir: path.join(this.dir, 'pg'), port: this.port, log: () => undefined });
        this.port = this.server.port;
        this.url = this.server.url;
        return;
      } catch (err) {
        last = err;
        await sleep(1_000);
      }
    }
    throw last;
  }

  async stop(): Promise<void> {
    await this.pool?.end().catch(() => undefined);
    await this.server?.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
