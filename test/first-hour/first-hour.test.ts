import { existsSync, mkdirSync, promises as fs, statSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { chromium, type Browser, type Page } from 'playwright-core';
import { localAdminKeyPath, readLocalAdminKey } from '../../runtime/local-admin-key-file';
import { eventually } from '../support/worker-process';
import { ROOT, run, startStack, type RunningStack } from './npm-start';

const ARTIFACTS = path.join(ROOT, 'test', '.artifacts');
const DEMO = 'connection/demo-peoplesoft-asana';
// `binary/encrypted`, base64: how the UI shows an encrypted payload's encoding it could not decode.
const ENCRYPTED_ENCODING = Buffer.from('binary/encrypted').toString('base64');

/** Debian's Chromium (apt-get install chromium); playwright's own browser download does not work on these machines. */
function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.MLC_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * A newcomer's first hour, on the real `npm start`: the CLIs work beside it with nothing set by hand, and support
 * staff read decoded payloads in the Temporal UI after signing in as the runbook says (and only then).
 */
describe('first hour: npm start, then mlc, api-key and the Temporal UI with nothing set by hand', () => {
  let stack: RunningStack;
  let browser: Browser | undefined;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    stack = await startStack();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    if (stack) await fs.rm(stack.dataDir, { recursive: true, force: true });
  }, 120_000);

  it('stores a local admin key (0600) that `mlc connections list` uses, and `npm run api-key` / `migrate` / `reencrypt` share the running PostgreSQL', async () => {
    const file = localAdminKeyPath(stack.dataDir);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readLocalAdminKey(stack.dataDir)?.apiUrl).toBe(stack.apiUrl);

    const list = await run(process.execPath, [path.join(ROOT, 'bin', 'mlc.js'), 'connections', 'list'], stack.env);
    expect(list).toMatchObject({ code: 0, stderr: '' });
    expect(list.stdout).toContain('demo-peoplesoft-asana');

    // A long first sync's progress, piped (no terminal): two frames one after the other, then it stops.
    const watch = await run(process.execPath, [path.join(ROOT, 'bin', 'mlc.js'), 'connections', 'status', 'demo-peoplesoft-asana', '--watch', '--interval', '1', '--frames', '2'], stack.env);
    expect(watch.code).toBe(0);
    const frames = watch.stdout.split(/^--- .*$/m).slice(1);
    expect(frames).toHaveLength(2);
    for (const frame of frames) {
      expect(frame).toMatch(/^\ndemo-peoplesoft-asana: \S+, schedule @every 60s/);
      expect(frame).toMatch(/current window: .*; rate: /);
      expect(frame).toMatch(/ps-vouchers-to-asana-tasks\s+\d+\s+\d+/);
    }
    expect(frames[1]).toMatch(/rate: \d+\.\d records\/s/);

    const tsx = (script: string, ...args: string[]) => run(process.execPath, ['--import', 'tsx', path.join(ROOT, 'runtime', script), ...args], stack.env);
    const keys = await tsx('api-key-cli.ts', 'list');
    expect(keys.code).toBe(0);
    expect(keys.stdout).toMatch(/admin\s+active\s+local admin \(npm start\)/);
    expect(keys.stderr).toContain('using the running embedded PostgreSQL');
    const created = await tsx('api-key-cli.ts', 'create', '--customer', 'acme', '--label', 'first hour');
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^mlc_[0-9a-f]{8}_/);
    const migrate = await tsx('migrate-cli.ts');
    expect(migrate.code).toBe(0);
    expect(migrate.stdout).toContain('up to date');
    const reencrypt = await tsx('reencrypt-cli.ts');
    expect(reencrypt.code).toBe(0);
    expect(reencrypt.stdout).toMatch(/re-encrypted \d+ values with key "local1"/);
  });

  it('decodes payloads in the Temporal UI for a signed-in admin with no UI settings, and shows only ciphertext without signing in', async () => {
    const key = readLocalAdminKey(stack.dataDir)!.key;
    // The demo's first poll reports what it synced: an activity result holding a window summary with its counts.
    const connection = await Connection.connect({ address: stack.temporalAddress });
    let target: { runId: string; eventId: number } | undefined;
    try {
      const handle = new Client({ connection }).workflow.getHandle(DEMO);
      await eventually(async () => {
        const history = await handle.fetchHistory();
        const done = history.events?.find((e) => e.eventType === temporal.api.enums.v1.EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED);
        if (done) target = { runId: (await handle.describe()).runId, eventId: Number(done.eventId) };
        return Boolean(done);
      }, 120_000, 'the demo connection’s first poll completed');
    } finally {
      await connection.close();
    }
    const eventUrl = `${stack.uiUrl}/namespaces/default/workflows/${encodeURIComponent(DEMO)}/${target!.runId}/history/events/${target!.eventId}`;
    browser = await launchChromium();

    const stranger = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await stranger.goto(eventUrl);
    await stranger.getByText(ENCRYPTED_ENCODING).first().waitFor({ timeout: 60_000 });
    // The UI's banner for a codec that refused it (401 without a session).
    await stranger.getByText('Codec Server could not connect').first().waitFor({ state: 'attached', timeout: 30_000 });
    await stranger.screenshot({ path: path.join(ARTIFACTS, 'temporal-ui-not-signed-in.png'), fullPage: true });
    expect(await stranger.innerText('body')).not.toContain('"fetched"');

    // The runbook: open <UI>/codec/session, paste an admin key, sign in; then the UI, as it is.
    const support: Page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await support.goto(`${stack.uiUrl}/codec/session`);
    await support.fill('input[name=key]', key);
    await support.click('button');
    await support.getByText('Signed in for 8 hours').waitFor();
    await support.goto(eventUrl);
    await support.getByText('"fetched": 50').first().waitFor({ timeout: 60_000 });
    await support.getByText('"fetched": 50').first().scrollIntoViewIfNeeded();
    await support.screenshot({ path: path.join(ARTIFACTS, 'temporal-ui-signed-in.png') });
    const page = await support.innerText('body');
    expect(page).toMatch(/"created": 50/);
    expect(page).not.toContain('Codec Server could not connect');
    expect(page).not.toContain(ENCRYPTED_ENCODING);
    expect(existsSync(path.join(ARTIFACTS, 'temporal-ui-signed-in.png'))).toBe(true);
  }, 300_000);

  it('stops on Ctrl-C leaving nothing running, and the CLIs then start their own PostgreSQL', async () => {
    await stack.stop();
    expect(existsSync(path.join(stack.dataDir, 'pg', 'postmaster.pid'))).toBe(false);
    // A free port for the CLI's own PostgreSQL: a developer's stack may hold the default one on this machine.
    const keys = await run(process.execPath, ['--import', 'tsx', path.join(ROOT, 'runtime', 'api-key-cli.ts'), 'list'], { ...stack.env, EMBEDDED_PG_PORT: '0' });
    expect(keys.code).toBe(0);
    expect(keys.stderr).toContain('starting embedded PostgreSQL');
    expect(keys.stdout).toContain('first hour');
    expect(existsSync(path.join(stack.dataDir, 'pg', 'postmaster.pid'))).toBe(false);
  });
});
