import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { Counter, Histogram, Registry } from 'prom-client';
import { type WorkerTelemetry } from '../activities/deps';

/**
 * What only a worker sees, for Prometheus: partner 429s, OAuth token refreshes, reads cut short below a declared row
 * cap, and poll lag (how late a poll started
 * after its scheduled fire time). On its own registry, like the API's (api/metrics.ts): no prom-client globals.
 * Labels name partners, operations and pairs, never a customer or connection.
 */
export class WorkerMetrics implements WorkerTelemetry {
  readonly registry = new Registry();
  private readonly rateLimitedTotal: Counter<'partner' | 'operation'>;
  private readonly tokenRefreshesTotal: Counter<'partner' | 'outcome'>;
  private readonly rowCapCutShortTotal: Counter<'partner' | 'operation'>;
  private readonly pollLag: Histogram<'pair'>;

  constructor() {
    const registers = [this.registry];
    this.rateLimitedTotal = new Counter({
      name: 'mlc_partner_rate_limited_total',
      help: 'Partner answers 429 (rate limit): the call waits for Retry-After and is retried',
      labelNames: ['partner', 'operation'],
      registers,
    });
    this.tokenRefreshesTotal = new Counter({
      name: 'mlc_token_refreshes_total',
      help: 'OAuth access token refreshes by partner: ok, or failed (the connection needs new credentials)',
      labelNames: ['partner', 'outcome'],
      registers,
    });
    this.rowCapCutShortTotal = new Counter({
      name: 'mlc_partner_row_cap_cut_short_total',
      help: 'Reads a partner cut short below the connection\'s declared row cap: rows were still read by splitting; `mlc connections test` names the cap to declare',
      labelNames: ['partner', 'operation'],
      registers,
    });
    this.pollLag = new Histogram({
      name: 'mlc_poll_lag_seconds',
      help: 'Scheduled poll fire time -> poll activity start, by pair',
      labelNames: ['pair'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers,
    });
  }

  rateLimited(partner: string, operation: string): void {
    this.rateLimitedTotal.inc({ partner, operation });
  }

  tokenRefreshed(partner: string, outcome: 'ok' | 'failed'): void {
    this.tokenRefreshesTotal.inc({ partner, outcome });
  }

  rowCapCutShort(partner: string, operation: string): void {
    this.rowCapCutShortTotal.inc({ partner, operation });
  }

  observePollLag(pair: string, seconds: number): void {
    this.pollLag.observe({ pair }, Math.max(0, seconds));
  }
}

/** `GET /metrics` for a worker process that runs without the API (npm run worker); anything else is a 404. */
export async function serveWorkerMetrics(metrics: WorkerMetrics, port: number, host: string): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: GET /metrics\n');
      return;
    }
    metrics.registry.metrics().then(
      (body) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(body),
      (err: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics failed: ${err instanceof Error ? err.message : String(err)}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${actual}/metrics`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
