import { renderStatusFrame, watchStatus, type StatusView } from './status-watch';

const status = (synced: number, window?: StatusView['currentWindow']): StatusView => ({
  state: 'polling',
  schedule: 'CRON_TZ=America/Chicago 0 6 * * MON-FRI',
  lastPollAt: '2026-11-30T12:00:00.000Z',
  nextPollAt: '2026-12-01T12:00:00.000Z',
  openDeadLetters: 1,
  progress: { vouchers: { watermark: '2026-11-30T12:00:00.000Z', synced, failed: 1 }, requisitions: { watermark: '2026-11-29T00:00:00.000Z', synced: 10, failed: 0 } },
  currentWindow: window,
});

describe('mlc connections status --watch', () => {
  it('draws per-flow counts, the current window’s fetched and done, and the rate since the previous frame', () => {
    const first = { at: 0, status: status(100, { flow: 'vouchers', fetched: 500, done: 40 }) };
    const second = { at: 2_000, status: status(100, { flow: 'vouchers', fetched: 500, done: 240 }) };
    expect(renderStatusFrame('acme', first)).toContain('current window: vouchers, 40 of 500 fetched done; rate: -');
    const frame = renderStatusFrame('acme', second, first);
    expect(frame).toContain('acme: polling, schedule CRON_TZ=America/Chicago 0 6 * * MON-FRI');
    expect(frame).toContain('current window: vouchers, 240 of 500 fetched done; rate: 100.0 records/s');
    expect(frame).toMatch(/vouchers\s+100\s+1\s+2026-11-30T12:00:00.000Z/);
    expect(frame).toMatch(/requisitions\s+10\s+0/);
    // The window finished: its records moved into the flow's synced count, the rate still counts them once.
    const third = { at: 4_000, status: status(400) };
    expect(renderStatusFrame('acme', third, second)).toContain('current window: none running; rate: 30.0 records/s');
  });

  it('redraws in place on a terminal and prints frames one after another when piped, until the frame count', async () => {
    const samples = [status(0, { flow: 'vouchers', fetched: 10, done: 0 }), status(0, { flow: 'vouchers', fetched: 10, done: 10 }), status(10), status(10)];
    const written: string[] = [];
    let t = 0;
    const run = (isTTY: boolean) =>
      watchStatus({ id: 'acme', fetch: async () => samples.shift()!, write: (x) => void written.push(x), isTTY, intervalMs: 1000, frames: 2, sleep: async (ms) => void (t += ms), now: () => t });
    await run(false);
    expect(written).toHaveLength(2);
    expect(written[0]).toMatch(/^--- 1970-01-01T00:00:00.000Z\nacme: polling/);
    expect(written[1]).toContain('current window: vouchers, 10 of 10 fetched done; rate: 10.0 records/s');
    await run(true);
    expect(written).toHaveLength(4);
    expect(written[2]!.startsWith('\x1b[H\x1b[2J')).toBe(true);
    expect(written[2]).toContain('(Ctrl-C to stop)');
  });

  it('shows an ongoing outage on its own line, and nothing once it cleared', () => {
    const outage = { since: '2026-12-01T10:00:00.000Z', failedAttempts: 8, lastError: 'asana POST /tasks: HTTP 503', nextRetryAt: '2026-12-01T10:04:07.000Z' };
    expect(renderStatusFrame('acme', { at: 0, status: { ...status(0), outage } })).toContain(
      'OUTAGE: failing since 2026-12-01T10:00:00.000Z, 8 attempts failed, next retry 2026-12-01T10:04:07.000Z; last error: asana POST /tasks: HTTP 503',
    );
    expect(renderStatusFrame('acme', { at: 0, status: status(0) })).not.toContain('OUTAGE');
  });
});
