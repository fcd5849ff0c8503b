import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { DbError } from '../db/pool';
import { unstorableFields, unstorableReason } from './edge-validation';
import { isDbUnavailable } from '../db/sql-state';
import { DB_RETRY_AFTER_SECONDS, ID_NOT_AVAILABLE, toApiError } from './error-mapping';
import { ApiError } from './errors';

const framework = (status: number, type?: string) => Object.assign(new Error('framework message that may echo input'), { status, statusCode: status, ...(type ? { type } : {}) });

describe('error mapping', () => {
  it('maps body-parser and router errors by type and status to 4xx with fixed messages', () => {
    const cases: Array<[unknown, number]> = [
      [framework(400, 'entity.parse.failed'), 400],
      [framework(413, 'entity.too.large'), 413],
      [framework(415, 'encoding.unsupported'), 415],
      [framework(415, 'charset.unsupported'), 415],
      [framework(400, 'request.aborted'), 400],
      [framework(400), 400], // the router's "Failed to decode param", a zlib error in a "gzip" body
      [framework(404), 404],
      [new URIError('URI malformed'), 400],
    ];
    for (const [err, status] of cases) {
      const mapped = toApiError(err);
      expect(mapped?.status).toBe(status);
      expect(mapped?.message).not.toContain('echo input');
    }
  });

  it('maps unique violations to 409, data exceptions to 422, a database that is down to 503; other errors stay unmapped (500)', () => {
    const pg = (code: string) => new DbError('op', Object.assign(new Error('driver text with SQL'), { code }));
    expect(toApiError(pg('23505'))).toMatchObject({ status: 409, message: ID_NOT_AVAILABLE });
    expect(toApiError(pg('22P05'))?.status).toBe(422);
    expect(toApiError(pg('22003'))?.status).toBe(422);
    expect(toApiError(pg('08006'))).toMatchObject({ status: 503, retryAfterSeconds: DB_RETRY_AFTER_SECONDS });
    expect(toApiError(pg('40001'))).toBeUndefined();
    expect(toApiError(new Error('bug'))).toBeUndefined();
    expect(toApiError(framework(500))).toBeUndefined();
    const api = new ApiError('conflict', 'x');
    expect(toApiError(api)).toBe(api);
  });

  it('answers 503 with Retry-After for every way node-postgres says the server is gone or restarting', () => {
    const driver = (message: string, code?: string) => Object.assign(new Error(message), code ? { code } : {});
    const down = [
      driver('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'),
      driver('terminating connection due to administrator command', '57P01'),
      driver('the database system is starting up', '57P03'),
      driver('the database system is in recovery mode', '57P03'),
      driver('Connection terminated unexpectedly'),
      driver('Connection terminated'),
      driver('Client has encountered a connection error and is not queryable'),
      driver('read ECONNRESET', 'ECONNRESET'),
      Object.assign(new AggregateError([driver('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED'), driver('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')], 'all failed')),
    ];
    for (const err of down) {
      expect(isDbUnavailable(err)).toBe(true);
      expect(isDbUnavailable(new DbError('op', err))).toBe(true);
      const mapped = toApiError(new DbError('op', err));
      expect(mapped).toMatchObject({ status: 503, code: 'unavailable', retryAfterSeconds: DB_RETRY_AFTER_SECONDS });
      expect(mapped?.message).not.toMatch(/127\.0\.0\.1|ECONN|administrator/);
      expect(toApiError(err)?.status).toBe(503);
    }
    // A partner's HTTP client failing to connect is not the database: only a DbError's cause is looked into.
    expect(isDbUnavailable(new TypeError('fetch failed', { cause: driver('connect ECONNREFUSED 127.0.0.1:9', 'ECONNREFUSED') }))).toBe(false);
    expect(isDbUnavailable(driver('duplicate key', '23505'))).toBe(false);
    expect(isDbUnavailable(undefined)).toBe(false);
  });

  it('answers a refused or failed workflow update as 422 with its reason', () => {
    const err = new WorkflowUpdateFailedError('update failed', ApplicationFailure.create({ message: 'flow must not contain NUL characters' }));
    expect(toApiError(err)).toMatchObject({ status: 422, message: 'the workflow refused the request: flow must not contain NUL characters' });
  });
});

describe('edge validation of strings PostgreSQL cannot hold', () => {
  it('finds NUL and unpaired surrogates, not valid pairs', () => {
    expect(unstorableReason('a\u0000b')).toMatch(/NUL/);
    expect(unstorableReason('\ud800')).toMatch(/surrogate/);
    expect(unstorableReason('x\udfffy')).toMatch(/surrogate/);
    expect(unstorableReason('\ud83d\ude00 ok')).toBeUndefined();
    expect(unstorableReason('plain')).toBeUndefined();
  });

  it('names every bad field of a JSON body, keys included, and survives deep nesting', () => {
    const body = { config: { approvers: { 'a\u0000': '1', ok: '\ud800' }, list: ['x', 'y\u0000'] } };
    expect(unstorableFields(body).map((p) => p.path).sort()).toEqual(['config.approvers.a?', 'config.approvers.ok', 'config.list.1']);
    let deep: unknown = 'a\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(unstorableFields(deep)).toHaveLength(1);
  });
});
