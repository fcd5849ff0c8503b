import type { NextFunction, Request, Response } from 'express';
import type { SimClock } from '../kit/clock';
import { tokenHash } from './token-hash';

/**
 * Every partner-API request the simulator answered, in order, so tests can check what a client really sent
 * (contract tests validate these against the spec; rate-limit tests read the timestamps).
 */
export interface LoggedRequest {
  seq: number;
  /** Simulator clock, ms since epoch, when the request arrived and when the answer was sent. */
  receivedAtMs: number;
  answeredAtMs: number | null;
  method: string;
  /** Path below /api/1.0, e.g. `/tasks/123`. */
  path: string;
  query: Record<string, string>;
  body: unknown;
  tokenHash: string | null;
  status: number | null;
  responseHeaders: Record<string, string>;
  responseBody: unknown;
}

export class RequestLog {
  private entries: LoggedRequest[] = [];
  private seq = 0;

  constructor(
    private readonly clock: SimClock,
    private readonly max = 20_000,
  ) {}

  list(sinceSeq = 0): LoggedRequest[] {
    return this.entries.filter((e) => e.seq > sinceSeq);
  }

  clear(): void {
    this.entries = [];
  }

  /** Mounted before faults and auth so faulted and refused requests are logged too. */
  middleware(basePath: string) {
    return (req: Request, res: Response, next: NextFunction): void => {
      const auth = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1];
      const query: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.query)) if (typeof v === 'string') query[k] = v;
      const entry: LoggedRequest = {
        seq: ++this.seq,
        receivedAtMs: this.clock.nowMs(),
        answeredAtMs: null,
        method: req.method,
        path: req.path.startsWith(basePath) ? req.path.slice(basePath.length) || '/' : req.path,
        query,
        body: req.body as unknown,
        tokenHash: auth ? tokenHash(auth) : null,
        status: null,
        responseHeaders: {},
        responseBody: undefined,
      };
      this.entries.push(entry);
      if (this.entries.length > this.max) this.entries.shift();
      const json = res.json.bind(res);
      res.json = (body: unknown) => {
        entry.responseBody = body;
        return json(body);
      };
      res.once('finish', () => {
        entry.answeredAtMs = this.clock.nowMs();
        entry.status = res.statusCode;
        for (const name of ['retry-after', 'location', 'content-type']) {
          const v = res.getHeader(name);
          if (v !== undefined) entry.responseHeaders[name] = String(v);
        }
      });
      next();
    };
  }
}
