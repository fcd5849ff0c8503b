import { isPartnerError, type PartnerError } from '../../core/partner-error';
import { startAsanaSimulator, type RunningAsanaSimulator } from '../../simulators/asana';
import type { SeedResult } from '../../simulators/asana/seed';
import { RateLimiterRegistry } from '../http/rate-limiter';
import { createAsanaConnector } from './connector';
import { encodeCustomFields, type CustomFieldMapping } from './custom-field-values';

let sim: RunningAsanaSimulator;
let world: SeedResult;
let token: string;

function field(name: string) {
  const f = world.customFields.find((c) => c.name === name);
  if (!f) throw new Error(`no field ${name}`);
  return f;
}
const connector = (limiters = new RateLimiterRegistry()) =>
  createAsanaConnector({ baseUrl: sim.apiUrl, workspaceGid: world.workspaceGid, projectGid: world.projectGid, token }, { limiters });

function mapping(): CustomFieldMapping {
  const status = field('Approval Status');
  return {
    externalKey: { fieldGid: field('External Key').gid, type: 'text' },
    amount: { fieldGid: field('Amount').gid, type: 'number' },
    status: {
      fieldGid: status.gid,
      type: 'enum',
      enumOptions: { P: status.enumOptions[0]!.gid, A: status.enumOptions[1]!.gid },
    },
    invoiceDate: { fieldGid: field('Invoice Date').gid, type: 'date' },
  };
}

beforeAll(async () => {
  sim = await startAsanaSimulator({ port: 0 });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(async () => {
  world = await sim.admin.seed({});
  token = world.users[0]!.token;
  await sim.admin.setFaults({});
  await sim.admin.setRateLimits({ requestsPerMinute: 1500, maxConcurrentReads: 50, maxConcurrentWrites: 15 });
});

describe('tasks with custom fields', () => {
  it('creates, updates only the sent fields, and reads back typed custom field values', async () => {
    const asana = connector();
    const m = mapping();
    const created = await asana.createTask({
      name: 'Voucher 00042',
      notes: 'from PeopleSoft',
      customFields: encodeCustomFields(m, { externalKey: 'PS-00042', amount: '1250.5', status: 'P', invoiceDate: new Date('2025-03-04T10:00:00Z') }),
    });
    expect(created.gid).toMatch(/^\d+$/);
    expect(created.customFields[m.externalKey!.fieldGid]?.value).toBe('PS-00042');
    expect(created.customFields[m.amount!.fieldGid]?.value).toBe(1250.5);
    expect(created.customFields[m.status!.fieldGid]?.value).toBe(m.status!.enumOptions!.P);
    expect(created.customFields[m.invoiceDate!.fieldGid]?.value).toBe('2025-03-04');

    const updated = await asana.updateTask(created.gid, { customFields: encodeCustomFields(m, { status: 'A' }) });
    expect(updated.customFields[m.status!.fieldGid]?.displayValue).toBe('Approved');
    expect(updated.name).toBe('Voucher 00042');
    expect(updated.notes).toBe('from PeopleSoft');
    expect(updated.customFields[m.amount!.fieldGid]?.value).toBe(1250.5);

    const read = await asana.getTask(created.gid);
    expect(read).toEqual(updated);
    expect(read.projectGids).toEqual([world.projectGid]);
  });

  it('surfaces Asana 400s as permanent PartnerErrors with the partner message and no token', async () => {
    const asana = connector();
    const err = (await asana
      .createTask({ name: 'bad', customFields: { [field('Amount').gid]: 'twelve' } })
      .catch((e: unknown) => e)) as PartnerError;
    expect(isPartnerError(err)).toBe(true);
    expect(err.status).toBe(400);
    expect(err.decision.retry).toBe(false);
    expect(err.code).toBe('ASANA_INVALID_REQUEST');
    expect(err.message).toContain('requires a number');
    expect(JSON.stringify({ ...err, message: err.message })).not.toContain(token);
  });

  it('answers compact records without opt_fields and the asked fields with them', async () => {
    const asana = connector();
    const t = await asana.createTask({ name: 'sparse', customFields: { [field('External Key').gid]: 'K-1' } });
    const get = (q: string) =>
      fetch(`${sim.apiUrl}/projects/${world.projectGid}/tasks${q}`, { headers: { authorization: `Bearer ${token}` } }).then(
        (r) => r.json() as Promise<{ data: Record<string, unknown>[] }>,
      );
    const compact = (await get('')).data.find((x) => x.gid === t.gid)!;
    expect(Object.keys(compact).sort()).toEqual(['gid', 'name', 'resource_subtype', 'resource_type']);
    const picked = (await get('?opt_fields=custom_fields.text_value')).data.find((x) => x.gid === t.gid)!;
    expect(Object.keys(picked).sort()).toEqual(['custom_fields', 'gid']);
    expect(picked.custom_fields).toContainEqual({ gid: field('External Key').gid, text_value: 'K-1' });
    const one = await fetch(`${sim.apiUrl}/tasks/${t.gid}?opt_fields=name`, { headers: { authorization: `Bearer ${token}` } });
    expect(((await one.json()) as { data: unknown }).data).toEqual({ gid: t.gid, name: 'sparse' });
  });
});

describe('pagination', () => {
  it('walks 250 tasks in pages of 100 following next_page, and filters by modified_since', async () => {
    world = await sim.admin.seed({ tasks: 250 });
    token = world.users[0]!.token;
    const asana = connector();
    await sim.admin.clearRequests();
    const pages: number[] = [];
    const gids = new Set<string>();
    for await (const page of asana.listProjectTasks()) {
      pages.push(page.length);
      page.forEach((t) => gids.add(t.gid));
    }
    expect(pages).toEqual([100, 100, 50]);
    expect(gids.size).toBe(250);
    const log = await sim.admin.requests();
    expect(log.map((r) => r.query.limit)).toEqual(['100', '100', '100']);
    expect(log[0]!.query.offset).toBeUndefined();
    expect(log[1]!.query.offset).toBeDefined();
    expect(log.every((r) => r.query.opt_fields?.includes('custom_fields.text_value'))).toBe(true);

    const since = await sim.admin.advanceClock(60_000);
    const changed = await asana.updateTask([...gids][7]!, { name: 'changed later' });
    const first = await asana.listProjectTasksPage({ modifiedSince: since, limit: 10 });
    expect(first.tasks.map((t) => t.gid)).toEqual([changed.gid]);
    expect(first.nextOffset).toBeUndefined();
  });
});

describe('custom field mapping validation', () => {
  it('accepts a correct mapping and reports every problem of a wrong one', async () => {
    const asana = connector();
    expect(await asana.validateMapping(mapping())).toEqual([]);
    const m = mapping();
    const problems = await asana.validateMapping({
      externalKey: { fieldGid: m.externalKey!.fieldGid, type: 'number' },
      status: { fieldGid: m.status!.fieldGid, type: 'enum', enumOptions: { P: '999999' } },
      ghost: { fieldGid: '123456789', type: 'text' },
      amount: { fieldGid: m.amount!.fieldGid, type: 'number', enumOptions: { x: '1' } },
      invoiceDate: { fieldGid: m.invoiceDate!.fieldGid, type: 'date' },
    });
    expect(problems.map((p) => p.logicalField).sort()).toEqual(['amount', 'externalKey', 'ghost', 'status']);
    expect(problems.find((p) => p.logicalField === 'externalKey')!.message).toMatch(/is a text field in Asana, but the mapping expects number/);
    expect(problems.find((p) => p.logicalField === 'status')!.message).toMatch(/option 999999, which is not an option.*Pending=/);
    expect(problems.find((p) => p.logicalField === 'ghost')!.message).toMatch(/not on the project/);
  });

  it('refuses values that cannot be encoded, before any request', () => {
    const m = mapping();
    expect(() => encodeCustomFields(m, { amount: 'abc' })).toThrow(/expected a number/);
    expect(() => encodeCustomFields(m, { status: 'Z' })).toThrow(/no Asana enum option is mapped for value "Z"/);
    expect(() => encodeCustomFields(m, { invoiceDate: '03/04/2025' })).toThrow(/YYYY-MM-DD/);
    expect(encodeCustomFields(m, { amount: null, externalKey: 7 })).toEqual({ [m.amount!.fieldGid]: null, [m.externalKey!.fieldGid]: '7' });
  });
});

describe('findTaskByExternalKey', () => {
  it('finds the task a lost create produced, reading the consistent listing with modified_since', async () => {
    const asana = connector();
    const keyGid = field('External Key').gid;
    await asana.createTask({ name: 'other', customFields: { [keyGid]: 'PS-1' } });
    const intentAt = await sim.admin.now();
    const lost = await asana.createTask({ name: 'lost answer', customFields: { [keyGid]: 'PS-2' } });
    await sim.admin.clearRequests();
    const found = await asana.findTaskByExternalKey(keyGid, 'PS-2', { modifiedSince: new Date(intentAt.getTime() - 1000) });
    expect(found?.gid).toBe(lost.gid);
    const [req] = await sim.admin.requests();
    expect(req!.path).toBe('/tasks');
    expect(req!.query.modified_since).toBeDefined();
    expect(await asana.findTaskByExternalKey(keyGid, 'PS-404')).toBeUndefined();
  });
});

describe('rate limits', () => {
  it('rides out consecutive 429s, never sending before the previous Retry-After has passed', async () => {
    const asana = connector();
    const created = await asana.createTask({ name: 'storm' });
    await sim.admin.clearRequests();
    await sim.admin.setFaults({ burst429: { count: 3, retryAfterSeconds: 1 } });
    expect((await asana.getTask(created.gid)).gid).toBe(created.gid);
    const log = await sim.admin.requests();
    expect(log.map((r) => r.status)).toEqual([429, 429, 429, 200]);
    expect(log[0]!.responseHeaders['retry-after']).toBe('1');
    expect(log[0]!.responseBody).toEqual({ errors: [expect.objectContaining({ message: expect.stringMatching(/too many requests/) })] });
    for (let i = 1; i < log.length; i += 1) {
      expect(log[i]!.receivedAtMs - log[i - 1]!.answeredAtMs!).toBeGreaterThanOrEqual(1000);
    }
  });

  it('pauses every concurrent caller of the token after a 429 and still completes them all', async () => {
    const asana = connector();
    const created = await asana.createTask({ name: 'storm' });
    await sim.admin.clearRequests();
    await sim.admin.setFaults({ burst429: { count: 3, retryAfterSeconds: 1 } });
    const results = await Promise.all(Array.from({ length: 6 }, () => asana.getTask(created.gid)));
    expect(results.every((t) => t.gid === created.gid)).toBe(true);
    const log = await sim.admin.requests();
    const limited = log.filter((r) => r.status === 429);
    expect(limited).toHaveLength(3);
    expect(log.filter((r) => r.status === 200)).toHaveLength(6);
    // Requests already on the wire when a 429 was answered are allowed; nothing new may start before Retry-After.
    for (const r of limited) {
      const startedAfter = log.filter((x) => x.receivedAtMs > r.answeredAtMs! + 50);
      for (const x of startedAfter) expect(x.receivedAtMs - r.answeredAtMs!).toBeGreaterThanOrEqual(1000);
    }
  });

  it('keeps within the 15 concurrent writes per token, shared by two connectors on one token', async () => {
    const limiters = new RateLimiterRegistry();
    const a = connector(limiters);
    const b = connector(limiters);
    await sim.admin.setFaults({ latencyMs: 40 });
    await sim.admin.resetRateLimitStats();
    await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).createTask({ name: `burst ${i}` })));
    const stats = Object.values(await sim.admin.rateLimitStats());
    expect(stats).toHaveLength(1);
    expect(stats[0]!.maxInFlight.write).toBe(15);
    expect(stats[0]!.rejected.concurrency).toBe(0);
  });
});
