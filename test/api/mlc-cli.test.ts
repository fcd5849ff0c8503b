import { execFile } from 'node:child_process';
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Client } from '@temporalio/client';
import { stringify } from 'yaml';
import { syncWorkflowId } from '../../core/sync-messages';
import { type TestDatabase } from '../support/database';
import { type ApiScenario, closeApiScenario, openApiScenario } from './api-harness';

const ROOT = path.resolve(__dirname, '..', '..');

describe('mlc CLI against a running API', () => {
  let db: TestDatabase;
  let client: Client;
  let s: ApiScenario;
  const id = 'acme-cli-1';

  const mlc = (...args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, [path.join(ROOT, 'bin', 'mlc.js'), ...args], { cwd: ROOT, env: { ...process.env, MLC_API_URL: s.api.baseUrl, MLC_API_KEY: s.adminKey } }, (err, stdout, stderr) =>
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });

  beforeAll(async () => {
    ({ db, client, s } = await openApiScenario('mlc-cli', { voucher: 3, requisition: 3 }));
  }, 120_000);
  afterAll(() => closeApiScenario({ db, client, s }, [syncWorkflowId(id)]));

  it('creates from YAML, lists, shows, tests, pauses, dry-runs, reads dead letters and audit, deletes', async () => {
    const dir = path.join(ROOT, '.data', 'test', `cli-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'acme-asana.yaml');
    writeFileSync(file, stringify(s.connectionBody(id)));

    const created = await mlc('connections', 'create', '-f', file);
    expect(created).toMatchObject({ code: 0 });
    expect(created.stdout).toContain(`created ${id}`);
    expect(created.stdout).toContain('Temporal UI: http://ui.test:8233/namespaces/default/workflows/connection%2Facme-cli-1');

    const list = await mlc('connections', 'list');
    expect(list.stdout.split('\n')[0]).toMatch(/^ID\s+CUSTOMER\s+PAIR\s+STATUS\s+WORKFLOW$/);
    expect(list.stdout).toMatch(new RegExp(`${id}\\s+acme\\s+peoplesoft-asana\\s+active`));

    const shown = JSON.parse((await mlc('--json', 'connections', 'show', id)).stdout) as { credentials: unknown };
    expect(shown.credentials).toMatchObject({ asana: { token: 'set' } });

    const tested = await mlc('connections', 'test', id);
    expect(tested.code).toBe(0);
    expect(tested.stdout).toContain('all checks passed');

    expect((await mlc('connections', 'pause', id)).stdout).toBe(`pause sent to ${id} (status paused)\n`);
    expect((await mlc('connections', 'resume', id)).code).toBe(0);
    expect((await mlc('connections', 'sync', id)).code).toBe(0);

    const dry = await mlc('--json', 'connections', 'dry-run', id);
    expect(dry.code).toBe(0);
    expect((JSON.parse(dry.stdout) as { flows: unknown[] }).flows.length).toBeGreaterThan(0);

    expect((await mlc('connections', 'dead-letters', id)).stdout).toBe('(none)\n');
    expect((await mlc('connections', 'audit', id, '--record', 'voucher:US001/1')).code).toBe(0);

    expect((await mlc('connections', 'delete', id)).stdout).toContain(`deleted ${id}`);
  });

  it('fails with exit 1 and one line: bad file, invalid connection, unknown connection, bad key', async () => {
    const dir = path.join(ROOT, '.data', 'test', `cli-${process.pid}`);
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ ...s.connectionBody('x'), customerId: '' }));
    const invalid = await mlc('connections', 'create', '-f', bad);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/^mlc: the request body is invalid \(customerId: .*\) \[422 unprocessable\]\n$/);

    const missing = await mlc('connections', 'show', 'nope');
    expect(missing).toMatchObject({ code: 1, stderr: 'mlc: connection nope not found [404 not_found]\n' });

    const unauth = await mlc('--api-key', 'wrong', 'connections', 'list');
    expect(unauth.code).toBe(1);
    expect(unauth.stderr.trim().split('\n')).toHaveLength(1);
    expect(unauth.stderr).toContain('[401 unauthorized]');

    const noFile = await mlc('connections', 'create', '-f', path.join(dir, 'absent.yaml'));
    expect(noFile.code).toBe(1);
    expect(noFile.stderr.trim().split('\n')).toHaveLength(1);
  });
});
