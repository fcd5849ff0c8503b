/**
 * Runs one scenario's pairs at the same time, at most `limit` at once. Each pair has its own simulators (port 0),
 * connection (its own rows, found by connection id), task queue and worker process, so nothing they share collides;
 * what they do share is the machine, hence the limit (MLC_FAULT_CONCURRENCY).
 *
 * The jest tests stay one per pair: the first of a scenario's tests to run starts every pair of the scenario, and
 * each test awaits its own pair's result. Nothing starts before the first test does (after beforeAll).
 */
export class PairBatch<T> {
  private readonly runs = new Map<string, () => Promise<T>>();
  private started?: Map<string, Promise<T>>;

  constructor(private readonly limit: number) {}

  /** A pair's run; `run` must not reject (a scenario's failure is a result, not an exception). */
  add(pairId: string, run: () => Promise<T>): void {
    if (this.started) throw new Error(`pair ${pairId} added after the batch started`);
    this.runs.set(pairId, run);
  }

  get size(): number {
    return this.runs.size;
  }

  /** How many rounds of `limit` the batch takes at most: a test's timeout covers its wait for a free slot. */
  get rounds(): number {
    return Math.max(1, Math.ceil(this.runs.size / this.limit));
  }

  result(pairId: string): Promise<T> {
    this.started ??= this.start();
    const p = this.started.get(pairId);
    if (!p) throw new Error(`pair ${pairId} is not in this batch`);
    return p;
  }

  private start(): Map<string, Promise<T>> {
    let active = 0;
    const queue: Array<() => void> = [];
    const slot = async (): Promise<void> => {
      if (active < this.limit) {
        active += 1;
        return;
      }
      await new Promise<void>((resolve) => queue.push(resolve));
    };
    const free = () => {
      const next = queue.shift();
      if (next) next();
      else active -= 1;
    };
    const out = new Map<string, Promise<T>>();
    for (const [pairId, run] of this.runs) {
      out.set(
        pairId,
        (async () => {
          await slot();
          try {
            return await run();
          } finally {
            free();
          }
        })(),
      );
    }
    return out;
  }
}

/**
 * MLC_FAULT_CONCURRENCY: how many pairs of one scenario run at once (default 5, every pair: on the 2-core machine the
 * runs mostly wait for partners, timeouts and kills, see README Reliability). 1 runs them one after the other.
 */
export function faultConcurrency(env: Record<string, string | undefined> = process.env): number {
  const raw = env.MLC_FAULT_CONCURRENCY;
  if (raw === undefined || raw === '') return 5;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`MLC_FAULT_CONCURRENCY: expected a whole number of pairs, 1 or more, got '${raw}'`);
  return n;
}
