import { formatTable } from './format-table';

type FlowProgress = { watermark?: string; synced: number; failed: number; lastPollAt?: string; lastError?: string };
export type StatusView = {
  state: string;
  schedule: string;
  lastPollAt?: string;
  nextPollAt?: string;
  openDeadLetters: number;
  progress: Record<string, FlowProgress>;
  currentWindow?: { flow: string; fetched: number; done: number };
  outage?: { since: string; failedAttempts: number; lastError: string; nextRetryAt?: string };
};
export type Sample = { at: number; status: StatusView };

/** Records handled so far: every flow's synced and failed, plus what the running window has done. */
const handled = (s: StatusView) => Object.values(s.progress).reduce((n, p) => n + p.synced + p.failed, 0) + (s.currentWindow?.done ?? 0);

/**
 * One frame of `mlc connections status <id> --watch`: the state, the window being synced now (fetched and done so
 * far), records per second since the previous frame, and the per-flow counts. Pure, so a test can check the frames.
 */
export function renderStatusFrame(id: string, current: Sample, previous?: Sample): string {
  const s = current.status;
  const seconds = previous ? (current.at - previous.at) / 1000 : 0;
  // A continue-as-new or a finished window can move counts between progress and currentWindow: never a negative rate.
  const rate = previous && seconds > 0 ? Math.max(0, handled(s) - handled(previous.status)) / seconds : undefined;
  const w = s.currentWindow;
  const o = s.outage;
  return (
    `${id}: ${s.state}, schedule ${s.schedule}, last poll ${s.lastPollAt ?? '-'}, next poll ${s.nextPollAt ?? '-'}, open dead letters ${s.openDeadLetters}\n` +
    (o ? `OUTAGE: failing since ${o.since}, ${o.failedAttempts} attempts failed, next retry ${o.nextRetryAt ?? 'running now'}; last error: ${o.lastError}\n` : '') +
    `current window: ${w ? `${w.flow}, ${w.done} of ${w.fetched} fetched done` : 'none running'}; rate: ${rate === undefined ? '-' : `${rate.toFixed(1)} records/s`}\n` +
    formatTable(
      Object.entries(s.progress).map(([flow, p]) => ({ flow, synced: p.synced, failed: p.failed, watermark: p.watermark, lastError: p.lastError })),
      ['flow', 'synced', 'failed', 'watermark', 'lastError'],
    )
  );
}

/**
 * Fetches and draws frames every `intervalMs` until `frames` were drawn (undefined: until interrupted). On a terminal
 * each frame replaces the last; piped, frames follow each other, separated by a line with the time.
 */
export async function watchStatus(opts: {
  id: string;
  fetch: () => Promise<StatusView>;
  write: (text: string) => void;
  isTTY: boolean;
  intervalMs: number;
  frames?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}): Promise<void> {
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const now = opts.now ?? Date.now;
  let previous: Sample | undefined;
  for (let n = 0; opts.frames === undefined || n < opts.frames; n++) {
    if (n > 0) await sleep(opts.intervalMs);
    const sample = { at: now(), status: await opts.fetch() };
    const frame = renderStatusFrame(opts.id, sample, previous);
    opts.write(opts.isTTY ? `\x1b[H\x1b[2J${frame}(Ctrl-C to stop)\n` : `--- ${new Date(sample.at).toISOString()}\n${frame}`);
    previous = sample;
  }
}
