/**
 * The intents of a page of records, recorded in one statement before any create of that page, and the next page's
 * while this one is written (one page ahead, so a lane never waits for an intent commit between pages). Each
 * record that may be created (no link to a target yet, mapped, references present) is a candidate; a create calls
 * `ready(index)` first, which resolves once its page's statement committed.
 */
export class IntentPages {
  private readonly pages = new Map<number, Promise<void>>();
  private readonly recorded = new Set<string>();

  constructor(
    /** Per record index, its key when it may be created, else undefined. */
    private readonly candidates: readonly (string | undefined)[],
    private readonly pageSize: number,
    private readonly write: (keys: string[]) => Promise<void>,
  ) {}

  /** Resolves once the intents of `index`'s page are committed; starts the next page's statement as well. */
  ready(index: number): Promise<void> {
    const page = Math.floor(index / this.pageSize);
    void this.start(page + 1);
    return this.start(page);
  }

  /** Whether `key`'s intent was committed by a page statement (else the caller records it on its own). */
  covers(key: string): boolean {
    return this.recorded.has(key);
  }

  /** Candidates whose page statement committed, once every statement started (a page ahead too) has ended. */
  async committed(): Promise<string[]> {
    await Promise.allSettled(this.pages.values());
    return [...this.recorded];
  }

  private start(page: number): Promise<void> {
    const known = this.pages.get(page);
    if (known) return known;
    const keys = this.candidates.slice(page * this.pageSize, (page + 1) * this.pageSize).filter((k): k is string => k !== undefined);
    const written =
      keys.length === 0 || page * this.pageSize >= this.candidates.length
        ? Promise.resolve()
        : this.write(keys).then(() => {
            for (const k of keys) this.recorded.add(k);
          });
    // Nobody may wait for a page ahead (the activity failed first): its failure is not unhandled.
    written.catch(() => undefined);
    this.pages.set(page, written);
    return written;
  }
}
