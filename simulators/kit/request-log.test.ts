import express, { Router } from 'express';
import { LoggingSimAdminClient } from './admin-client';
import { SimClock } from './clock';
import { pathBelow, RequestLog, type RequestLogOptions } from './request-log';
import { listen, type Listening } from './serve';
import { tokenHash } from './token-hash';

/** The shared request log and its admin routes, through a small express app and the shared admin client. */
let running: Listening[] = [];
afterEach(async () => {
  await Promise.all(running.map((l) => l.close()));
  running = [];
});

async function start(options: RequestLogOptions) {
  const log = new RequestLog(new SimClock(), options);
  const app = express();
  app.use(express.json());
  const admin = Router();
  log.mountAdminRoutes(admin);
  app.use('/__admin', admin);
  app.use(log.middleware());
  app.get('/api/1.0/tasks/:id', (_req, res) => void res.set('retry-after', '3').set('x-other', 'no').status(429).json({ errors: [{ message: 'slow down' }] }));
  app.post('/rest/api/3/issue', (req, res) => void res.status(201).json({ echoed: req.body as unknown }));
  const listening = await listen(app);
  running.push(listening);
  const url = listening.baseUrl;
  return { url, log, admin: new LoggingSimAdminClient(url, 'test') };
}

describe('kit RequestLog', () => {
  it('logs the path below the base, a hash of the bearer token, the answer and the kept headers only', async () => {
    const sim = await start({ path: pathBelow('/api/1.0') });
    await fetch(`${sim.url}/api/1.0/tasks/42?opt_fields=name`, { headers: { authorization: 'Bearer secret-token' } });
    const [entry] = await sim.admin.requests();
    expect(entry).toMatchObject({
      seq: 1,
      method: 'GET',
      path: '/tasks/42',
      query: { opt_fields: 'name' },
      auth: 'bearer',
      tokenHash: tokenHash('secret-token'),
      status: 429,
      responseHeaders: { 'retry-after': '3' },
      responseBody: { errors: [{ message: 'slow down' }] },
    });
    expect(entry!.responseHeaders['x-other']).toBeUndefined();
    expect(JSON.stringify(entry)).not.toContain('secret-token');
  });

  it('leaves out what the path option names undefined, and lists since a sequence number', async () => {
    const sim = await start({ path: (req) => (req.path.startsWith('/rest/') ? req.path : undefined), keptHeaders: ['content-type'] });
    const basic = `Basic ${Buffer.from('me@example.com:tok').toString('base64')}`;
    await fetch(`${sim.url}/api/1.0/tasks/1`);
    for (const n of [1, 2]) {
      await fetch(`${sim.url}/rest/api/3/issue`, { method: 'POST', headers: { authorization: basic, 'content-type': 'application/json' }, body: JSON.stringify({ n }) });
    }
    const all = await sim.admin.requests();
    expect(all.map((e) => [e.seq, e.path, e.auth, e.tokenHash, e.body])).toEqual([
      [1, '/rest/api/3/issue', 'basic', null, { n: 1 }],
      [2, '/rest/api/3/issue', 'basic', null, { n: 2 }],
    ]);
    expect((await sim.admin.requests(1)).map((e) => e.seq)).toEqual([2]);
    await sim.admin.clearRequests();
    expect(await sim.admin.requests()).toEqual([]);
  });

  it('keeps at most `max` entries, dropping the oldest', async () => {
    const sim = await start({ max: 2 });
    for (let i = 0; i < 3; i++) await fetch(`${sim.url}/rest/api/3/issue`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(sim.log.list().map((e) => e.seq)).toEqual([2, 3]);
  });

  it('names the simulator, the call and the answer when an admin call fails', async () => {
    const sim = await start({});
    await expect(new LoggingSimAdminClient(`${sim.url}/nowhere`, 'test').requests()).rejects.toThrow(/^test admin GET \/requests\?since=0: HTTP 404/);
  });
});
