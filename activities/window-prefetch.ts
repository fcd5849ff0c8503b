import { type SourceRecord } from './flows/types';

/** The window after this one, as the workflow will ask for it if this one completes. */
export interface NextWindow {
  from: string;
  to: string;
  /** The flow's overlap: the clock skew its source's change times may have (see `settled`). */
  overlapMs: number;
}

/** How long a fetched-ahead window may wait for its activity before it is thrown away. */
const TTL_MS = 60_000;

/**
 * Windows fetched ahead while the current one is written, per connection and flow: at most one window ahead of each
 * (a new one replaces the last). An activity takes its window's records only if they are exactly its window's and
 * fresh; otherwise (another worker ran the previous window, the fetch failed, the workflow asked for another range)
 * it fetches as before. Lives in one worker process, nothing shared.
 */
export class WindowPrefetch {
  private readonly ahead = new Map<string, { from: string; to: string; records: Promise<SourceRecord[]>; expiresAt: number }>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly ttlMs = TTL_MS,
  ) {}

  /**
   * Whether `next` may be fetched now and used later: its end lies further in the past than the source's clock skew,
   * so a change made after this fetch carries a change time past the window and is read by a later window, exactly
   * as if the window were fetched when its activity starts.
   */
  settled(next: NextWindow): boolean {
    return Date.parse(next.to) <= this.now() - next.overlapMs;
  }

  start(connectionId: string, flow: string, next: NextWindow, fetch: () => Promise<SourceRecord[]>): void {
    const now = this.now();
    for (const [k, e] of this.ahead) if (e.expiresAt < now) this.ahead.delete(k);
    const records = fetch();
    // Taken or not, a failed fetch ahead is no error of anyone's: the window's activity fetches it again.
    records.catch(() => undefined);
    this.ahead.set(key(connectionId, flow), { from: next.from, to: next.to, records, expiresAt: now + this.ttlMs });
  }

  /** The records fetched ahead for exactly [from, to), once; undefined when there are none to use. */
  async take(connectionId: string, flow: string, from: string, to: string): Promise<SourceRecord[] | undefined> {
    const k = key(connectionId, flow);
    const entry = this.ahead.get(k);
    if (!entry) return undefined;
    this.ahead.delete(k);
    if (entry.from !== from || entry.to !== to || entry.expiresAt < this.now()) return undefined;
    try {
      return await entry.records;
    } catch {
      return undefined;
    }
  }

  get size(): number {
    return this.ahead.size;
  }
}

function key(connectionId: string, flow: string): string {
  return `${connectionId}\u0000${flow}`;
}
