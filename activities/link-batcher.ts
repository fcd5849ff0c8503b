import { type LinkEffect } from '../db/record-effects';

export interface LinkBatcherOptions {
  /** A batch is written once it holds this many effects ... */
  maxBatch: number;
  /** ... or this long after its first effect arrived, whichever comes first. */
  maxDelayMs: number;
}

export const DEFAULT_LINK_BATCH: LinkBatcherOptions = { maxBatch: 64, maxDelayMs: 25 };

/**
 * Collects the links (with their audit rows) of completed partner writes and writes them in batches, one statement
 * each, in order, one batch in flight at a time, so a lane goes on to its next record instead of waiting for a
 * commit. `onFlushed` runs after a batch committed: only then do its records count as done (progress, heartbeats).
 * A failed batch (a refused fence, PostgreSQL gone) fails every later `add` and `drain`, and no later batch is
 * written: the records it held keep their intents, so the next attempt finds them by external key.
 */
export class LinkBatcher<T> {
  private pending: { effect: LinkEffect; item: T }[] = [];
  private keys = new Set<string>();
  private timer?: ReturnType<typeof setTimeout>;
  private chain: Promise<void> = Promise.resolve();
  private failure?: { reason: unknown };
  batches = 0;

  constructor(
    private readonly write: (effects: LinkEffect[]) => Promise<void>,
    private readonly onFlushed: (items: T[]) => Promise<void> | void,
    private readonly opts: LinkBatcherOptions = DEFAULT_LINK_BATCH,
  ) {}

  /** Queues one completed write; throws when an earlier batch failed (the lane stops there). */
  add(effect: LinkEffect, item: T): void {
    if (this.failure) throw this.failure.reason;
    // A key once per statement: a second write of the same record waits for the next batch.
    if (this.keys.has(effect.sourceKey)) this.flush();
    this.pending.push({ effect, item });
    this.keys.add(effect.sourceKey);
    if (this.pending.length >= this.opts.maxBatch) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.opts.maxDelayMs);
  }

  /** Writes everything queued and waits for every batch; throws the first failed batch's error. */
  async drain(): Promise<void> {
    this.flush();
    await this.chain;
    if (this.failure) throw this.failure.reason;
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.keys = new Set();
    this.chain = this.chain.then(async () => {
      if (this.failure) return;
      try {
        await this.write(batch.map((b) => b.effect));
        this.batches += 1;
        await this.onFlushed(batch.map((b) => b.item));
      } catch (reason) {
        this.failure ??= { reason };
      }
    });
  }
}
