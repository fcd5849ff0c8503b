import { request as httpRequest } from 'node:http';
import express from 'express';
import { FaultInjector } from '../../simulators/kit/faults';
import { listen, type Listening } from '../../simulators/kit/serve';
import { resetFast, startWithAdmin } from '../../simulators/peoplesoft/test-support';
import { DEMO_OPRID, DEMO_PASSWORD } from '../../simulators/peoplesoft';
import { partnerFailure } from '../../test/support/partner-failure';
import { createPeopleSoftConnector, SoapClientCache } from '../peoplesoft';
import { createPartnerHttp } from './partner-request';

/**
 * R4's truncated bodies (issue 15): a simulator's fault kit cuts an answer short (Content-Length promised, half the
 * bytes, socket closed), and every client of the engine takes it for a transport error it retries, never for a
 * malformed answer it would dead-letter. PeopleSoft page reads retry such failures in place (issue 15, R4).
 */
const running: Array<{ close(): Promise<void> }> = [];
afterAll(async () => {
  await Promise.all(running.map((r) => r.close()));
});

async function kitServer(): Promise<{ url: string; faults: FaultInjector }> {
  const faults = new FaultInjector({ tooManyRequests: () => ({ body: {} }), serverError: () => ({ body: {} }) });
  const app = express();
  app.use(faults.middleware());
  app.get('/items', (_req, res) => void res.json({ data: Array.from({ length: 50 }, (_, i) => ({ gid: String(i), name: `item ${i}` })) }));
  const listening: Listening = await listen(app);
  running.push(listening);
  return { url: listening.baseUrl, faults };
}

/** What arrives on the wire: the promised length and the bytes that came before the socket closed. */
function rawGet(url: string): Promise<{ promised: number; received: number; aborted: boolean }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, (res) => {
      let received = 0;
      let aborted = false;
      res.on('data', (c: Buffer) => (received += c.length));
      res.on('aborted', () => (aborted = true));
      res.on('error', () => (aborted = true));
      res.on('close', () => resolve({ promised: Number(res.headers['content-length']), received, aborted }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('truncated answers', () => {
  it('the fault kit promises the whole body, sends half of it, closes the socket and counts it', async () => {
    const sim = await kitServer();
    const whole = await rawGet(`${sim.url}/items`);
    expect(whole).toMatchObject({ received: whole.promised, aborted: false });
    sim.faults.configure({ truncateRate: 1 });
    const cut = await rawGet(`${sim.url}/items`);
    expect(cut.promised).toBe(whole.promised);
    expect(cut.received).toBeLessThan(cut.promised);
    expect(cut.received).toBeGreaterThan(0);
    expect(cut.aborted).toBe(true);
    expect(sim.faults.current().injected.truncations).toBe(1);
  });

  it('the partner HTTP layer (every REST connector) fails a cut answer as a retryable network error', async () => {
    const sim = await kitServer();
    const http = createPartnerHttp({ partner: 'Test', baseUrl: sim.url });
    sim.faults.configure({ truncateRate: 1 });
    const err = await partnerFailure(http.request({ method: 'GET', url: '/items', operation: 'GET items' }));
    expect(err.decision.retry).toBe(true);
    expect(err.code).toMatch(/^NETWORK_/);
    sim.faults.configure({});
    expect(JSON.parse((await http.request({ method: 'GET', url: '/items', operation: 'GET items' })).data)).toMatchObject({ data: expect.any(Array) });
  });

  it('PeopleSoft reads (REST) and Component Interface calls (SOAP) fail a cut answer as retryable, not as a bad answer', async () => {
    const { sim, admin } = await startWithAdmin();
    running.push(sim);
    await resetFast(admin);
    await admin.seed({ recordsPerObject: 3 });
    const now = Date.parse(await admin.now());
    const ps = createPeopleSoftConnector({ baseUrl: sim.baseUrl, node: 'PSFT_EP', auth: { method: 'basic', oprid: DEMO_OPRID, password: DEMO_PASSWORD }, timeoutMs: 10_000 }, { soapClients: new SoapClientCache() });
    const window = { from: new Date(now - 30 * 86_400_000), to: new Date(now + 1_000) };
    const approval = { businessUnit: 'US001', voucherId: 'NOSUCH01', decision: 'A' as const };
    // The WSDL is fetched (and cached) whole first: the cut answer is the call's own.
    await ps.approveVoucher(approval).catch(() => undefined);
    await admin.setFaults({ truncateRate: 1 });
    const read = await partnerFailure(ps.fetchChanged('voucher', window));
    expect(read).toMatchObject({ decision: { retry: true } });
    const call = await partnerFailure(ps.approveVoucher(approval));
    expect(call).toMatchObject({ decision: { retry: true } });
    expect(call.code).toMatch(/NETWORK/);
    // The read was tried 4 times (3 retries in place, connectors/http/read-retry.ts), the CI call once.
    expect((await admin.faults()).injected).toMatchObject({ truncations: 5 });
  });

  it('a PeopleSoft WSDL fetch answered 429 is retryable (the gateway is busy), not a service left unpublished', async () => {
    const { sim, admin } = await startWithAdmin();
    running.push(sim);
    await resetFast(admin);
    const ps = createPeopleSoftConnector({ baseUrl: sim.baseUrl, node: 'PSFT_EP', auth: { method: 'basic', oprid: DEMO_OPRID, password: DEMO_PASSWORD }, timeoutMs: 10_000 }, { soapClients: new SoapClientCache() });
    await admin.setFaults({ burst429: { count: 1, retryAfterSeconds: 1 } });
    const err = await partnerFailure(ps.approveVoucher({ businessUnit: 'US001', voucherId: 'NOSUCH01', decision: 'A' }));
    expect(err).toMatchObject({ status: 429, decision: { retry: true } });
    expect(err.code).not.toBe('PS_WSDL_UNAVAILABLE');
  });

  it('a PeopleSoft page read answered 429 twice is read again in place after Retry-After, and the read succeeds', async () => {
    const { sim, admin } = await startWithAdmin();
    running.push(sim);
    await resetFast(admin);
    await admin.seed({ recordsPerObject: 3 });
    const now = Date.parse(await admin.now());
    const ps = createPeopleSoftConnector({ baseUrl: sim.baseUrl, node: 'PSFT_EP', auth: { method: 'basic', oprid: DEMO_OPRID, password: DEMO_PASSWORD }, timeoutMs: 10_000 });
    await admin.setFaults({ burst429: { count: 2, retryAfterSeconds: 1 } });
    const read = await ps.fetchChanged('voucher', { from: new Date(now - 91 * 86_400_000), to: new Date(now + 1_000) });
    expect(read.rows.length).toBeGreaterThan(0);
    expect((await admin.faults()).injected).toMatchObject({ tooManyRequests: 2 });
  });
});
