import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { type Client } from '@temporalio/client';
import { createApp } from '../../../api/app';
import { createApiKey } from '../../../api/auth/create-api-key';
import { createLogger } from '../../../core/logger';
import { createPool, type Db } from '../../../db/pool';

/** Longer than any answer may take while PostgreSQL is down: a request still open then counts as hung. */
const HANG_MS = 10_000;
const PROBE_EVERY_MS = 250;

export interface ProbeCounts {
  requests: number;
  ok: number;
  unavailable: number;
  /** 5xx other than 503 (a 500 is a bug: the database being down is not the request's fault). */
  other5xx: number;
  /** 4xx with a valid key on an existing connection: an outage mistaken for the caller's mistake. */
  unexpected4xx: number;
  /** 503s of /v1 routes without the error shape or without Retry-After. */
  badShape: number;
  hung: number;
  maxMs: number;
  failures: string[];
}

const empty = (): ProbeCounts => ({ requests: 0, ok: 0, unavailable: 0, other5xx: 0, unexpected4xx: 0, badShape: 0, hung: 0, maxMs: 0, failures: [] });

/**
 * The product API, in this process, on R3's own PostgreSQL (a pool of its own, as `npm start`'s API has), asked
 * over HTTP with an admin key the way an operator's dashboard would while the database is killed and restarted:
 * readiness, the connection, its live status and its dead letters, every quarter second, one at a time.
 */
export class ApiProbe {
  private server?: Server;
  private pool!: Db;
  private url = '';
  private key = '';
  private routes: string[] = [];
  private running?: Promise<void>;
  private stopping = false;
  counts = empty();

  async start(opts: { databaseUrl: string; client: Client; taskQueue: string; masterKey: string; connectionId: string }): Promise<void> {
    this.pool = createPool(opts.databaseUrl, 5);
    this.key = (await createApiKey(this.pool, { kind: 'admin' }, 'R3 probe')).key;
    const app = createApp({ pool: this.pool, temporal: opts.client, logger: createLogger('silent', 'api'), taskQueue: opts.taskQueue, masterKey: opts.masterKey });
    this.server = createServer(app);
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    const id = `/v1/connections/${encodeURIComponent(opts.connectionId)}`;
    this.routes = ['/readyz', id, `${id}/status`, `${id}/dead-letters`];
  }

  /** One request; answers the status (0 when it hung or the socket failed) and the parsed body. */
  async get(route: string): Promise<{ status: number; body: unknown; retryAfter: string | null; ms: number }> {
    const began = Date.now();
    try {
      const res = await fetch(`${this.url}${route}`, { headers: { authorization: `Bearer ${this.key}` }, signal: AbortSignal.timeout(HANG_MS) });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // Not JSON: judged below as a bad shape when it matters.
      }
      return { status: res.status, body, retryAfter: res.headers.get('retry-after'), ms: Date.now() - began };
    } catch {
      return { status: 0, body: null, retryAfter: null, ms: Date.now() - began };
    }
  }

  private note(route: string, r: Awaited<ReturnType<ApiProbe['get']>>): void {
    const c = this.counts;
    c.requests += 1;
    c.maxMs = Math.max(c.maxMs, r.ms);
    const fail = (what: string) => {
      if (c.failures.length < 10) c.failures.push(`${route}: ${what}`);
    };
    if (r.status === 0) {
      c.hung += 1;
      fail(`no answer within ${HANG_MS / 1000} s`);
    } else if (r.status === 503) {
      c.unavailable += 1;
      const error = (r.body as { error?: { code?: unknown; message?: unknown; requestId?: unknown } } | null)?.error;
      const shaped = route === '/readyz' ? (r.body as { status?: unknown } | null)?.status === 'not ready' : error?.code === 'unavailable' && typeof error.message === 'string' && typeof error.requestId === 'string' && r.retryAfter !== null;
      if (!shaped) {
        c.badShape += 1;
        fail(`503 without the error shape or Retry-After: ${JSON.stringify(r.body).slice(0, 200)}`);
      }
    } else if (r.status >= 500) {
      c.other5xx += 1;
      fail(`${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
    } else if (r.status >= 400) {
      c.unexpected4xx += 1;
      fail(`${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
    } else {
      c.ok += 1;
    }
  }

  /** Starts asking the routes in turn until `stop()`. */
  begin(): void {
    this.stopping = false;
    this.running = (async () => {
      for (let i = 0; !this.stopping; i++) {
        const route = this.routes[i % this.routes.length]!;
        this.note(route, await this.get(route));
        await new Promise((r) => setTimeout(r, PROBE_EVERY_MS));
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.running;
  }

  async close(): Promise<void> {
    await this.stop();
    this.server?.closeAllConnections();
    await new Promise((resolve) => (this.server ? this.server.close(resolve) : resolve(undefined)));
    await this.pool?.end().catch(() => undefined);
  }
}
