import { type NativeConnection } from '@temporalio/worker';

/**
 * When this worker last reached the Temporal server. The SDK's heartbeat() never reports that a heartbeat did not
 * arrive (the core retries quietly while the server is unreachable), so an activity cannot see that the server is
 * about to time it out and start its next attempt elsewhere. A cheap round trip on the worker's own connection every
 * second tells it instead: an attempt that has not reached Temporal for its heartbeat timeout stops writing
 * (activities/write-fence.ts).
 */
export class TemporalReachability {
  private lastOkAt: number;
  private stopped = false;

  constructor(private readonly now: () => number = Date.now) {
    this.lastOkAt = now();
  }

  /** Milliseconds since the last successful round trip to the server. */
  unreachableForMs(): number {
    return Math.max(0, this.now() - this.lastOkAt);
  }

  /** For tests, and for probes other than a worker connection. */
  markReachable(): void {
    this.lastOkAt = this.now();
  }

  /** Probes `connection` (GetSystemInfo, 2 s deadline) every `everyMs` until stop(). */
  watch(connection: NativeConnection, everyMs = 1_000): () => void {
    const loop = async () => {
      while (!this.stopped) {
        try {
          await connection.withDeadline(Date.now() + 2_000, () => connection.workflowService.getSystemInfo({}));
          this.markReachable();
        } catch {
          // Unreachable (or closing): lastOkAt stays where it was, which is the point.
        }
        await new Promise((r) => setTimeout(r, everyMs).unref());
      }
    };
    void loop();
    return () => {
      this.stopped = true;
    };
  }
}
