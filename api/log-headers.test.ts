import { headerSerializers, loggableHeaders, loggableUrl, REDACTED } from './log-headers';

describe('log header allow-list', () => {
  it('keeps listed headers and redacts every other one, whatever its name or case', () => {
    const logged = loggableHeaders({
      'content-type': 'application/json',
      'User-Agent': 'curl/8',
      'x-request-id': 'abc',
      authorization: 'Bearer mlc_x',
      cookie: 'mlc_codec=s3cret',
      'set-cookie': ['mlc_codec=s3cret; HttpOnly'],
      'x-api-key': 'mlc_y',
      'X-Hook-Secret': 'hook',
      'x-vendor-token': 'tok',
      'proxy-authorization': 'Basic z',
    });
    expect(logged).toEqual({
      'content-type': 'application/json',
      'User-Agent': 'curl/8',
      'x-request-id': 'abc',
      authorization: REDACTED,
      cookie: REDACTED,
      'set-cookie': REDACTED,
      'x-api-key': REDACTED,
      'X-Hook-Secret': REDACTED,
      'x-vendor-token': REDACTED,
      'proxy-authorization': REDACTED,
    });
    expect(loggableHeaders(undefined)).toEqual({});
  });

  it('serializes requests and responses through it, and hides a handshake token in the URL', () => {
    expect(headerSerializers.req({ method: 'POST', url: '/webhooks/asana/c1?handshake=tok123&x=1', headers: { cookie: 'a' } })).toEqual({
      method: 'POST',
      url: `/webhooks/asana/c1?handshake=${REDACTED}&x=1`,
      headers: { cookie: REDACTED },
    });
    expect(headerSerializers.res({ statusCode: 200, headers: { 'set-cookie': 'mlc_codec=x', 'content-length': '2' } })).toEqual({ statusCode: 200, headers: { 'set-cookie': REDACTED, 'content-length': '2' } });
    expect(loggableUrl('/v1/connections')).toBe('/v1/connections');
  });
});
