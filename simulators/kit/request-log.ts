import type { NextFunction, Request, Response, Router } from 'express';
import type { SimClock } from './clock';
import { tokenHash } from './token-hash';

/**
 * Every partner-API request a simulator answered, in order, so tests can check what a client really sent (contract
 * tests validate these against the spec; rate-limit tests read the timestamps). Credentials are never logged: only
 * their kind and a short hash of a bearer token.
 */
export interface LoggedRequest {
  seq: number;
  /** Simulator clock, ms since epoch, when the request arrived and when the answer was sent. */
  receivedAtMs: number;
  answeredAtMs: number | null;
  method: string;
  /** Path below the API's base, as the simulator's `path` option names it (e.g. Asana `/tasks/123`, Jira `/rest/...`). */
  path: string;
  query: Record<string, string>;
  body: unknown;
  auth: 'basic' | 'bearer' | 'none';
  tokenHash: string | null;
  status: number | null;
  responseHeaders: Record<string, string>;
  responseBody: unknown;
}

export interface RequestLogOptions {
  /** The logged path of a request, or undefined to leave it out of the log. Default: the request's path. */
  path?: (req: Request) => string | undefined;
  /** Response headers kept with each entry. */
  keptHeaders?: readonly string[];
  /** Oldest entries are dropped beyond this many. */
  max?: number;
}

/** The path below `basePath` for requests under it, others as they are (Asana's `/api/1.0`, '' for the whole app). */
export const pathBelow =
  (basePath: string) =>
  (req: Request): string =>
    req.path.startsWith(basePath) ? req.path.slice(basePath.length) || '/' : req.path;

const DEFAULT_KEPT_HEADERS = ['retry-after', 'location', 'content-type'];

export class RequestLog {
  private entries: LoggedRequest[] = [];
  private seq = 0;
  private readonly max: number;

  constructor(
    private readonly clock: SimClock,
    private readonly options: RequestLogOptions = {},
  ) {
    this.max = options.max ?? 20_000;
  }

  list(sinceSeq = 0): LoggedRequest[] {
    return this.entries.filter((e) => e.seq > sinceSeq);
  }

  clear(): void {
    this.entries = [];
  }

  /** `GET /requests?since=<seq>` and `DELETE /requests` on a simulator's admin router (read by LoggingSimAdminClient). */
  mountAdminRoutes(r: Router): void {
    r.get('/requests', (req, res) => void res.json({ data: this.list(Number(req.query.since ?? 0)) }));
    r.delete('/requests', (_req, res) => {
      this.clear();
      res.status(204).end();
    });
  }

  /** Mounted before faults and auth so faulted and refused requests are logged too. */
  middleware() {
    const keptHeaders = this.options.keptHeaders ?? DEFAULT_KEPT_HEADERS;
    return (req: Request, res: Response, next: NextFunction): void => {
      const path = this.options.path ? this.options.path(req) : req.path;
      if (path === undefined) return next();
      const authHeader = req.get('authorization') ?? '';
      const bearer = /^Bearer\s+(\S+)$/i.exec(authHeader)?.[1];
      const query: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.query)) if (typeof v === 'string') query[k] = v;
      const entry: LoggedRequest = {
        seq: ++this.seq,
        receivedAtMs: this.clock.nowMs(),
        answeredAtMs: null,
        method: req.method,
        path,
        query,
        body: req.body as unknown,
        auth: /^Basic /i.test(authHeader) ? 'basic' : /^Bearer /i.test(authHeader) ? 'bearer' : 'none',
        tokenHash: bearer ? tokenHash(bearer) : null,
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
        for (const name of keptHeaders) {
          const v = res.getHeader(name);
          if (v !== undefined) entry.responseHeaders[name] = String(v);
        }
      });
      next();
    };
  }
}
