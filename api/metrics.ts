import { type NextFunction, type Request, type Response } from 'express';
import { Counter, Gauge, Registry } from 'prom-client';
import { type Db } from '../db/pool';

/**
 * Prometheus metrics for one API instance, on its own registry (no prom-client globals: every app, and so every
 * test, starts from zero). Request and webhook counters are counted in this process; everything about connections
 * and records is read from PostgreSQL at scrape time, so every API replica reports the same truth and nothing is
 * lost on restart:
 * - `mlc_records{pair,flow,outcome}` counts audit_events rows. audit_events is append-only, so the value only grows
 *   and behaves like a counter (rate()/increase() work), but it is exposed as a gauge because it is read, not counted
 *   here: a process-local counter would start at 0 on every replica and miss what the worker did.
 * - `mlc_connections{pair,status}` and `mlc_dead_letters_open{pair,flow}`: current counts.
 * Labels never name a customer or connection, so /metrics carries no customer data (see README on exposing it).
 */
export class ApiMetrics {
  readonly registry = new Registry();
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  readonly webhookDeliveries: Counter<'partner' | 'outcome'>;

  constructor(pool: Db) {
    const registers = [this.registry];
    this.httpRequests = new Counter({ name: 'mlc_api_requests_total', help: 'API requests by route template and status', labelNames: ['method', 'route', 'status'], registers });
    this.webhookDeliveries = new Counter({
      name: 'mlc_webhook_deliveries_total',
      help: 'Partner webhook requests (handshakes and deliveries): accepted (2xx) or rejected (signature, size, shape)',
      labelNames: ['partner', 'outcome'],
      registers,
    });
    new Gauge({
      name: 'mlc_connections',
      help: 'Connections by pair and status (deleted included: their audit is kept)',
      labelNames: ['pair', 'status'],
      registers,
      async collect() {
        this.reset();
        const { rows } = await pool.query<{ pair: string; status: string; n: number }>('SELECT pair, status, count(*)::int AS n FROM connections GROUP BY pair, status');
        for (const r of rows) this.set({ pair: r.pair, status: r.status }, r.n);
      },
    });
    new Gauge({
      name: 'mlc_dead_letters_open',
      help: 'Open dead letters (records a partner refused permanently, waiting for a fix and replay) by pair and flow',
      labelNames: ['pair', 'flow'],
      registers,
      async collect() {
        this.reset();
        const { rows } = await pool.query<{ pair: string; flow: string; n: number }>(
          `SELECT c.pair, d.flow, count(*)::int AS n FROM dead_letters d JOIN connections c ON c.id = d.connection_id WHERE d.status = 'open' GROUP BY c.pair, d.flow`,
        );
        for (const r of rows) this.set({ pair: r.pair, flow: r.flow }, r.n);
      },
    });
    new Gauge({
      name: 'mlc_records',
      help: 'Record effects from the audit trail by pair, flow and outcome (ok = synced, failed = dead-lettered); only grows',
      labelNames: ['pair', 'flow', 'outcome'],
      registers,
      async collect() {
        this.reset();
        const { rows } = await pool.query<{ pair: string; flow: string; outcome: string; n: number }>(
          'SELECT c.pair, a.flow, a.outcome, count(*)::int AS n FROM audit_events a JOIN connections c ON c.id = a.connection_id GROUP BY c.pair, a.flow, a.outcome',
        );
        for (const r of rows) this.set({ pair: r.pair, flow: r.flow, outcome: r.outcome }, r.n);
      },
    });
  }

  /** Counts every response by the matched route template (never the raw URL: ids would explode the label set). */
  countRequests() {
    return (req: Request, res: Response, next: NextFunction): void => {
      res.on('finish', () => {
        const route = req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
        this.httpRequests.inc({ method: req.method, route, status: String(res.statusCode) });
      });
      next();
    };
  }

  /** For a webhook receiver: one delivery counted per response, accepted when 2xx. */
  countWebhooks(partner: string) {
    return (_req: Request, res: Response, next: NextFunction): void => {
      res.on('finish', () => this.webhookDeliveries.inc({ partner, outcome: res.statusCode < 300 ? 'accepted' : 'rejected' }));
      next();
    };
  }
}
