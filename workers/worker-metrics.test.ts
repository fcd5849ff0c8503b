import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { z } from 'zod';
import { createAsanaClient } from '../connectors/asana/client';
import { asanaConfigSchema } from '../connectors/asana/config';
import { createPartnerHttp } from '../connectors/http/partner-request';
import { RateLimiterRegistry } from '../connectors/http/rate-limiter';
import { isPartnerError } from '../core/partner-error';
import { serveWorkerMetrics, WorkerMetrics } from './worker-metrics';

/** A partner that refuses everything with 429, like Asana over budget (Retry-After in seconds). */
async function refusingPartner(): Promise<{ baseUrl: string; close(): Promise<void> }> {
  const server: Server = createServer((_req, res) => {
    res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' }).end('{"errors":[{"message":"You have made too many requests recently."}]}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((r) => server.close(() => r())) };
}

async function scrape(metrics: WorkerMetrics): Promise<string> {
  const served = await serveWorkerMetrics(metrics, 0, '127.0.0.1');
  try {
    const res = await fetch(served.url);
    expect(res.status).toBe(200);
    return await res.text();
  } finally {
    await served.close();
  }
}

describe('worker metrics', () => {
  let partner: Awaited<ReturnType<typeof refusingPartner>>;
  beforeAll(async () => {
    partner = await refusingPartner();
  });
  afterAll(() => partner.close());

  it('counts every 429 a connector receives, by partner and operation', async () => {
    const metrics = new WorkerMetrics();
    const http = createPartnerHttp({ partner: 'test-partner', baseUrl: partner.baseUrl, telemetry: metrics });
    for (let i = 0; i < 2; i++) {
      const err = await http.request({ operation: 'GET things', method: 'GET', url: '/things' }).catch((e: unknown) => e);
      expect(isPartnerError(err) && err.status).toBe(429);
    }
    // The Asana client retries a 429 itself; each refused attempt is counted, not only the last.
    const asana = createAsanaClient(
      asanaConfigSchema.parse({ baseUrl: partner.baseUrl, token: 'pat-not-a-secret', workspaceGid: '1', projectGid: '2' }),
      { telemetry: metrics, maxRateLimitRetries: 1, limiters: new RateLimiterRegistry() },
    );
    await expect(asana.send({ operation: 'GET task', method: 'GET', path: '/tasks/1' }, z.unknown())).rejects.toMatchObject({ status: 429 });

    const text = await scrape(metrics);
    expect(text).toContain('mlc_partner_rate_limited_total{partner="test-partner",operation="GET things"} 2');
    expect(text).toContain('mlc_partner_rate_limited_total{partner="asana",operation="GET task"} 2');
    expect(text).not.toContain('pat-not-a-secret');
  });

  it('records token refreshes and poll lag, and answers 404 off /metrics', async () => {
    const metrics = new WorkerMetrics();
    metrics.tokenRefreshed('asana', 'ok');
    metrics.tokenRefreshed('asana', 'failed');
    metrics.observePollLag('peoplesoft-asana', 0.3);
    metrics.observePollLag('peoplesoft-asana', -1);
    const text = await scrape(metrics);
    expect(text).toContain('mlc_token_refreshes_total{partner="asana",outcome="ok"} 1');
    expect(text).toContain('mlc_token_refreshes_total{partner="asana",outcome="failed"} 1');
    expect(text).toContain('mlc_poll_lag_seconds_bucket{le="0.05",pair="peoplesoft-asana"} 1');
    expect(text).toContain('mlc_poll_lag_seconds_count{pair="peoplesoft-asana"} 2');

    const served = await serveWorkerMetrics(metrics, 0, '127.0.0.1');
    try {
      expect((await fetch(served.url.replace('/metrics', '/other'))).status).toBe(404);
    } finally {
      await served.close();
    }
  });
});
