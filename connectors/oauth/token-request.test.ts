import express from 'express';
import { listen, type Listening } from '../../core/listen';
import { createPartnerHttp } from '../http/partner-request';
import { postTokenRequest, unexpectedTokenResponse, type TokenEndpoint } from './token-request';

/** The shared token POST against a small local token endpoint that answers what each test sets. */
let server: Listening;
let answer: { status: number; body: string } = { status: 200, body: '{}' };
const received: { contentType: string | undefined; body: string }[] = [];

beforeAll(async () => {
  const app = express();
  app.use(express.text({ type: '*/*' }));
  app.post('/token', (req, res) => {
    received.push({ contentType: req.get('content-type'), body: req.body as string });
    res.status(answer.status).type('application/json').send(answer.body);
  });
  server = await listen(app);
});
afterAll(() => server.close());
beforeEach(() => (received.length = 0));

const endpoint = (encoding: 'form' | 'json'): TokenEndpoint => ({
  partner: 'test',
  operation: 'POST /token',
  path: '/token',
  encoding,
  unavailableCode: 'TEST_OAUTH_UNAVAILABLE',
  refused: (error) => ({ code: error === 'invalid_grant' ? 'TEST_INVALID_GRANT' : 'TEST_REFUSED', hint: 'reconnect', reason: 'refused' }),
});
const http = () => createPartnerHttp({ partner: 'test', baseUrl: server.baseUrl });

describe('postTokenRequest', () => {
  it('sends the parameters form-encoded or as JSON and returns the parsed answer', async () => {
    answer = { status: 200, body: '{"access_token":"a","expires_in":60}' };
    expect(await postTokenRequest(http(), endpoint('form'), { grant_type: 'client_credentials', client_id: 'c' })).toEqual({ access_token: 'a', expires_in: 60 });
    await postTokenRequest(http(), endpoint('json'), { grant_type: 'client_credentials', client_id: 'c' });
    expect(received).toEqual([
      { contentType: 'application/x-www-form-urlencoded', body: 'grant_type=client_credentials&client_id=c' },
      { contentType: 'application/json', body: '{"grant_type":"client_credentials","client_id":"c"}' },
    ]);
  });

  it('turns a 4xx into a permanent refusal that keeps only the RFC 6749 error code', async () => {
    answer = { status: 400, body: '{"error":"invalid_grant","error_description":"token abc123 revoked"}' };
    const err: unknown = await postTokenRequest(http(), endpoint('form'), { refresh_token: 'secret-refresh' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'TEST_INVALID_GRANT', status: 400, rawBody: '{"error":"invalid_grant"}', hint: 'reconnect', decision: { retry: false } });
    expect(JSON.stringify(err) + String(err)).not.toMatch(/abc123|secret-refresh/);
  });

  it('keeps a 5xx transient, with the endpoint code', async () => {
    answer = { status: 503, body: 'down' };
    await expect(postTokenRequest(http(), endpoint('json'), {})).rejects.toMatchObject({ code: 'TEST_OAUTH_UNAVAILABLE', status: 503, decision: { retry: true } });
  });

  it('names the endpoint when the answer is not the documented shape', () => {
    expect(unexpectedTokenResponse(endpoint('form'), 'a bearer token response', 'TEST_UNEXPECTED')).toMatchObject({
      message: 'test POST /token: the answer is not a bearer token response',
      code: 'TEST_UNEXPECTED',
      decision: { retry: false },
    });
  });
});
