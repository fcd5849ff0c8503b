import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';

/** What a test can inject into any simulator through `PUT /__admin/faults`. */
export const faultsSchema = z
  .object({
    /** Share of requests (0..1) answered with `errorStatus` before reaching the handler. */
    errorRate: z.number().min(0).max(1).default(0),
    errorStatus: z.number().int().min(500).max(599).default(503),
    /** Added to every request. */
    latencyMs: z.number().int().min(0).max(60_000).default(0),
    /** Share of requests (0..1) whose socket is destroyed without an answer. */
    dropRate: z.number().min(0).max(1).default(0),
    /**
     * Share of requests (0..1) whose answer is cut short: the handler answers as usual, the headers promise the whole
     * body (Content-Length), about half of it is sent, then the socket is closed (a proxy or server dying mid-answer).
     */
    truncateRate: z.number().min(0).max(1).default(0),
    /** The next N requests get 429 with this Retry-After (seconds), the partner's own 429 shape. */
    burst429: z.object({ count: z.number().int().min(0), retryAfterSeconds: z.number().int().min(0) }).optional(),
    /** Seed for the deterministic random source, so a failing run can be repeated. */
    seed: z.number().int().default(1),
  })
  .strict();
export type Faults = z.infer<typeof faultsSchema>;

/** Deterministic PRNG (mulberry32): fault injection must be repeatable for a given seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface PartnerErrorShapes {
  /** Body and headers of the partner's own 429. */
  tooManyRequests(retryAfterSeconds: number): { body: unknown; headers?: Record<string, string> };
  /** Body of the partner's own 5xx. */
  serverError(status: number): { body: unknown; contentType?: string };
}

export class FaultInjector {
  private faults: Faults = faultsSchema.parse({});
  private random = seededRandom(1);
  private burstLeft = 0;
  /** Counts what was injected, so tests can assert the fault really fired. */
  readonly injected = { errors: 0, drops: 0, tooManyRequests: 0, truncations: 0 };

  constructor(private readonly shapes: PartnerErrorShapes) {}

  configure(input: unknown): Faults {
    this.faults = faultsSchema.parse(input);
    this.random = seededRandom(this.faults.seed);
    this.burstLeft = this.faults.burst429?.count ?? 0;
    return this.faults;
  }

  current(): Faults & { injected: FaultInjector['injected'] } {
    return { ...this.faults, injected: { ...this.injected } };
  }

  /** Express middleware: mount after the admin router so admin calls are never faulted. */
  middleware() {
    return (req: Request, res: Response, next: NextFunction): void => {
      const go = () => {
        if (this.faults.dropRate > 0 && this.random() < this.faults.dropRate) {
          this.injected.drops += 1;
          req.socket.destroy();
          return;
        }
        if (this.burstLeft > 0) {
          this.burstLeft -= 1;
          this.injected.tooManyRequests += 1;
          const retryAfter = this.faults.burst429?.retryAfterSeconds ?? 1;
          const { body, headers } = this.shapes.tooManyRequests(retryAfter);
          res.status(429).set(headers ?? {}).json(body);
          return;
        }
        if (this.faults.errorRate > 0 && this.random() < this.faults.errorRate) {
          this.injected.errors += 1;
          const { body, contentType } = this.shapes.serverError(this.faults.errorStatus);
          res.status(this.faults.errorStatus);
          if (contentType) res.type(contentType).send(body);
          else res.json(body);
          return;
        }
        if (this.faults.truncateRate > 0 && this.random() < this.faults.truncateRate) cutShort(res, () => (this.injected.truncations += 1));
        next();
      };
      if (this.faults.latencyMs > 0) setTimeout(go, this.faults.latencyMs);
      else go();
    };
  }
}

/**
 * Replaces `res.end` so the answer the handler gives leaves with its full Content-Length but only half its bytes,
 * then the socket closes. Answers without a body (204, 304) go out whole: there is nothing to cut.
 */
function cutShort(res: Response, counted: () => void): void {
  const end = res.end.bind(res) as (...args: unknown[]) => Response;
  res.end = ((...args: unknown[]) => {
    const [chunk, encoding] = args;
    const body = typeof chunk === 'string' ? Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8') : Buffer.isBuffer(chunk) ? chunk : chunk instanceof Uint8Array ? Buffer.from(chunk) : undefined;
    if (!body || body.length < 2 || res.headersSent) return end(...args);
    counted();
    res.setHeader('Content-Length', String(body.length));
    res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.socket?.destroy());
    return res;
  }) as Response['end'];
}
