import type { NextFunction, Request, Response } from 'express';
import type { SimClock } from '../kit/clock';

/**
 * Every partner-API request the simulator answered, in order, with what was sent and answered, so tests can check a
 * client against the spec (contract tests) and count 429s. Credentials are never logged: only the auth kind.
 */
export interface LoggedRequest {
  seq: number;
  receivedAtMs: number;
  method: string;
  /** Path from /rest/..., the same for the site URL and the api.atlassian.com/ex/jira/{cloudId} base. */
  path: string;
  query: Record<string, string>;
  body: unknown;
  auth: 'basic' | 'bearer' | 'none';
  status: number | null;
  responseHeaders: Record<string, string>;
  responseBody: unknown;
}

const KEPT_HEADERS = ['retry-after', 'ratelimit-reason', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'x-ratelimit-nearlimit', 'content-type'];

export class RequestLog {
  private entries: LoggedRequest[] = [];
  private seq = 0;

  constructor(
    private readonly clock: SimClock,
    private readonly max = 50_000,
  ) {}

  list(sinceSeq = 0): LoggedRequest[] {
    return this.entries.filter((e) => e.seq > sinceSeq);
  }

  clear(): void {
    this.entries = [];
  }

  middleware() {
    return (req: Request, res: Response, next: NextFunction): void => {
      const path = req.path.replace(/^\/ex\/jira\/[^/]+/, '');
      if (!path.startsWith('/rest/')) return next();
      const authHeader = req.get('authorization') ?? '';
      const query: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.query)) if (typeof v === 'string') query[k] = v;
      const entry: LoggedRequest = {
        seq: ++this.seq,
        receivedAtMs: this.clock.nowMs(),
        method: req.method,
        path,
        query,
        body: req.body as unknown,
        auth: /^Basic /i.test(authHeader) ? 'basic' : /^Bearer /i.test(authHeader) ? 'bearer' : 'none',
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
        entry.status = res.statusCode;
        for (const name of KEPT_HEADERS) {
          const v = res.getHeader(name);
          if (v !== undefined) entry.responseHeaders[name] = String(v);
        }
      });
      next();
    };
  }
}
