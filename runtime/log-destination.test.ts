import { Writable } from 'node:stream';
import pino from 'pino';
import { logDestination, logFormatFor } from './log-destination';

describe('log format', () => {
  it('is readable on a terminal, JSON when piped, and always JSON in production', () => {
    expect(logFormatFor({ NODE_ENV: 'development', LOG_FORMAT: 'auto' }, true)).toBe('pretty');
    expect(logFormatFor({ NODE_ENV: 'development', LOG_FORMAT: 'auto' }, false)).toBe('json');
    expect(logFormatFor({ NODE_ENV: 'development', LOG_FORMAT: 'pretty' }, false)).toBe('pretty');
    expect(logFormatFor({ NODE_ENV: 'development', LOG_FORMAT: 'json' }, true)).toBe('json');
    expect(logFormatFor({ NODE_ENV: 'production', LOG_FORMAT: 'pretty' }, true)).toBe('json');
    expect(logDestination('json')).toBeUndefined();
  });

  it('prints a sentence per line, and request lines as method, path, status and time', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(chunk.toString()), done()) });
    const pretty = logDestination('pretty', sink)!;
    const log = pino({ name: 'worker' }, pretty);
    log.info({ connectionId: 'acme', fetched: 3 }, 'connection acme: vouchers window synced, 3 records fetched');
    log.info({ req: { method: 'GET', url: '/v1/connections' }, res: { statusCode: 200 }, responseTime: 12 }, 'request completed');
    await new Promise((r) => setTimeout(r, 50));
    const text = lines.join('');
    expect(text).toMatch(/INFO.*\(worker\).*connection acme: vouchers window synced, 3 records fetched/);
    expect(text).toContain('GET /v1/connections 200 12 ms');
    expect(text).not.toContain('"req"');
    expect(text).not.toMatch(/^\{/m);
  });
});
