import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { loadFlowContext } from '../../activities/connection-context';
import { type FlowContext } from '../../activities/flows/types';
import { insertConnection, putCredentials } from '../../db/connections';
import { CredentialCipher } from '../../db/credential-cipher';
import { PAIR } from '../../pairs/peoplesoft-procore/config';
import { pairContext } from '../../pairs/peoplesoft-procore/context';
import { pairConfig } from '../../pairs/peoplesoft-procore/demo-world';
import { namespaceOf, procoreWebhookHousekeeping } from '../../pairs/peoplesoft-procore/webhook-housekeeping';
import { startProcoreSimulator, type RunningProcoreSimulator } from '../../simulators/procore';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { testMasterKey } from '../support/env';
import { eventually } from '../support/worker-process';

/**
 * Procore's delivery rules for a destination that keeps failing (https://developers.procore.com/documentation/webhooks):
 * retries with exponential backoff from 1 s up to 1 h, the event listed under `deliveries?filter[status]=failing`,
 * discarded once 12 h have passed, and our housekeeping reporting the broken destination both while it fails and once
 * Procore gave up. The simulator's clock is moved 12 h; its retry timers run scaled (1 h = 3.6 s) so the test stays short.
 */
describe('Procore webhook deliveries to a broken destination (simulator clock moved 12 h)', () => {
  let db: TestDatabase;
  let procore: RunningProcoreSimulator;
  let broken: Server;
  let ctx: FlowContext;
  let hits = 0;
  const cipher = new CredentialCipher(testMasterKey());
  const connectionId = randomUUID();

  beforeAll(async () => {
    db = await createTestDatabase('procore-discard');
    procore = await startProcoreSimulator({ port: 0 });
    await procore.admin.setWebhookBackoffScale(0.001);
    const { projectIds } = await procore.admin.seed({ projects: 1 });
    // Our API as a proxy that lost its route: every delivery gets a 502.
    broken = createServer((_req, res) => {
      hits += 1;
      res.writeHead(502).end('Bad Gateway');
    });
    await new Promise<void>((resolve) => broken.listen(0, '127.0.0.1', resolve));
    const brokenUrl = `http://127.0.0.1:${(broken.address() as AddressInfo).port}`;
    // PeopleSoft is never called by the webhook chore: the endpoint only has to parse.
    await insertConnection(db.pool, { id: connectionId, customerId: 'procore-discard', pair: PAIR, config: pairConfig('http://127.0.0.1:9', procore.apiUrl, procore.companyId, projectIds, brokenUrl) as Record<string, unknown> });
    await putCredentials(db.pool, cipher, connectionId, 'peoplesoft', { method: 'basic', oprid: 'VP1', password: 'unused' });
    await putCredentials(db.pool, cipher, connectionId, 'procore', { method: 'client_credentials', ...procore.client });
    ctx = await loadFlowContext(db.pool, cipher, connectionId);
  }, 60_000);
  afterAll(async () => {
    await procore?.close();
    await new Promise((resolve) => broken?.close(resolve));
    await db?.drop();
  });

  it('retries with backoff, lists the event as failing, discards it after 12 h, and housekeeping reports the destination', async () => {
    const deps = { pool: db.pool, cipher };
    expect(await procoreWebhookHousekeeping.run(deps, ctx)).toMatchObject({ action: 'registered' });
    const hooks = pairContext(ctx).procore.webhooks;
    const hook = (await hooks.listHooks()).find((h) => h.namespace === namespaceOf(connectionId))!;

    const [projectId] = (await procore.admin.records('projects')).map((p) => p.id);
    const cost = await procore.admin.addDirectCost(projectId!, ['10.00']);
    // 14 failed attempts, each followed by a wait doubling from 1 s, capped at 1 h.
    const state = await eventually(async () => {
      const s = (await procore.admin.webhookEventStates()).find((e) => e.hookId === hook.id);
      return s && s.retryDelaysMs.length >= 14 && s;
    }, 60_000, 'fourteen failed attempts');
    expect(state.status).toBe('failing');
    expect(state.retryDelaysMs.slice(0, 14)).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 3600, 3600].map((s) => s * 1000));
    expect(hits).toBeGreaterThanOrEqual(14);

    // deliveries?filter[status]=failing: every attempt of the event, each answered 502 and retried.
    const failing = (await hooks.failingDeliveries(hook.id)).filter((d) => d.response_status !== null);
    expect(failing.length).toBeGreaterThanOrEqual(14);
    expect(failing.every((d) => d.response_status === 502 && d.outcome === 'retried')).toBe(true);
    expect(failing[0]).toMatchObject({ event: expect.objectContaining({ resource_id: cost.id, resource_type: 'Direct Costs' }) });
    const whileFailing = await procoreWebhookHousekeeping.run(deps, ctx);
    expect(whileFailing.action).toBe('failing');
    expect(whileFailing.detail).toContain('502');

    // Twelve hours later Procore gives up: the event is discarded at its next attempt and no longer failing.
    await procore.admin.advanceClock(12 * 3_600_000 + 1_000);
    await eventually(async () => (await procore.admin.webhookEventStates()).find((e) => e.hookId === hook.id)?.status === 'discarded', 30_000, 'the discard');
    expect(await hooks.failingDeliveries(hook.id)).toEqual([]);
    const discarded = await hooks.discardedDeliveries(hook.id);
    expect(discarded.filter((d) => d.outcome === 'discarded')).toHaveLength(1);
    const attemptsAtDiscard = (await procore.admin.webhookEventStates()).find((e) => e.hookId === hook.id)!.attempts;
    const afterDiscard = await procoreWebhookHousekeeping.run(deps, ctx);
    expect(afterDiscard).toMatchObject({ action: 'discarded' });
    expect(afterDiscard.detail).toContain('discarded by Procore after 12 h');
    // A discarded event is never attempted again.
    expect((await procore.admin.webhookEventStates()).find((e) => e.hookId === hook.id)!.attempts).toBe(attemptsAtDiscard);
  }, 120_000);
});
