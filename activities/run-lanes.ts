/** Thrown by `checkpoint()` in a lane that must stop because another lane failed; never the error reported. */
class LaneStopped extends Error {
  constructor() {
    super('another lane failed');
    this.name = 'LaneStopped';
  }
}

/**
 * Runs `work` over `items`, at most `concurrency` at a time, and stops at the first failure: after one lane fails
 * (or `cancelled` aborts), no lane takes another item, and `work` may call `checkpoint()` before each further write
 * of the same item to stop there too. Waits for every lane before rethrowing the first error, because a write still
 * running after the activity failed would race Temporal's retry of it.
 */
export async function runInLanes<T>(
  items: readonly T[],
  opts: { concurrency: number; cancelled?: AbortSignal },
  work: (item: T, checkpoint: () => void) => Promise<void>,
): Promise<void> {
  let next = 0;
  let firstError: { reason: unknown } | undefined;
  const checkpoint = () => {
    opts.cancelled?.throwIfAborted();
    if (firstError) throw new LaneStopped();
  };
  async function lane(): Promise<void> {
    while (next < items.length && !firstError) {
      checkpoint();
      await work(items[next++]!, checkpoint);
    }
  }
  await Promise.all(
    Array.from({ length: Math.min(opts.concurrency, items.length) }, () =>
      lane().catch((reason: unknown) => {
        if (!(reason instanceof LaneStopped)) firstError ??= { reason };
      }),
    ),
  );
  if (firstError) throw firstError.reason;
}
