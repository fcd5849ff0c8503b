import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { isPartnerError, type PartnerError } from '../../core/partner-error';
import { classifyAddress } from './address-class';
import axios from 'axios';
import { addressProblem, checkPartnerUrl, guardedLookup, OUTBOUND_REFUSED, urlProblem, type LookupAll, type OutboundPolicy } from './outbound-policy';
import { createPartnerHttp } from './partner-request';

const strict: OutboundPolicy = { allowPrivateNetworks: false };
const local: OutboundPolicy = { allowPrivateNetworks: true };

describe('address classifier', () => {
  it.each([
    ['8.8.8.8', 'public'],
    ['2606:4700:4700::1111', 'public'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['172.32.0.1', 'public'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['169.254.1.1', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['169.254.169.254', 'metadata'],
    ['fd00:ec2::254', 'metadata'],
    ['100.100.100.200', 'metadata'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['192.0.2.1', 'reserved'],
    ['2001:db8::1', 'reserved'],
    // IPv4 inside IPv6: mapped (dotted and hex), compatible, NAT64, 6to4.
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:169.254.169.254', 'metadata'],
    ['::ffff:a9fe:a9fe', 'metadata'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:8.8.8.8', 'public'],
    ['::127.0.0.1', 'loopback'],
    ['64:ff9b::a9fe:a9fe', 'metadata'],
    ['2002:7f00:1::', 'loopback'],
    ['not-an-ip', 'invalid'],
  ])('%s is %s', (address, cls) => {
    expect(classifyAddress(address)).toBe(cls);
  });
});

describe('URL policy', () => {
  it('allows only https: unless private networks are allowed, and refuses other schemes always', () => {
    expect(urlProblem('https://app.asana.com/api/1.0', strict)).toBeUndefined();
    expect(urlProblem('http://app.asana.com/api/1.0', strict)).toBe('must be an https: URL');
    expect(urlProblem('http://app.asana.com/api/1.0', local)).toBeUndefined();
    for (const url of ['file:///etc/passwd', 'gopher://127.0.0.1:6379/_', 'javascript:alert(1)', 'data:text/plain,hi', 'ftp://x.example.com/']) {
      expect(urlProblem(url, strict)).toMatch(/must be an https: URL/);
      expect(urlProblem(url, local)).toMatch(/must be an https: or http: URL/);
    }
    expect(urlProblem('not a url', strict)).toBe('must be an absolute URL');
    expect(urlProblem('https://user:pw@app.asana.com/', strict)).toMatch(/user name or password/);
  });

  it('refuses loopback, private, link-local and metadata literals, in every spelling the URL parser accepts', () => {
    for (const url of [
      'https://127.0.0.1/',
      'https://2130706433/',
      'https://0x7f000001/',
      'https://0x7f.1/',
      'https://017700000001/',
      'https://[::1]/',
      'https://[::ffff:127.0.0.1]/',
      'https://[::ffff:7f00:1]/',
      'https://10.0.0.1/',
      'https://192.168.0.10:8443/',
      'https://[fd00::1]/',
      'https://169.254.169.254/latest/meta-data/',
      'https://[::ffff:169.254.169.254]/',
      'https://2852039166/',
      'https://localhost/',
      'https://api.localhost/',
      'https://0.0.0.0/',
    ]) {
      expect([url, urlProblem(url, strict)]).toEqual([url, expect.stringMatching(/address|loopback name/)]);
    }
    expect(urlProblem('https://8.8.8.8/', strict)).toBeUndefined();
  });

  it('lets the admin-level setting allow private networks, but never cloud metadata', () => {
    expect(urlProblem('http://127.0.0.1:8080/', local)).toBeUndefined();
    expect(urlProblem('http://10.0.0.1/', local)).toBeUndefined();
    expect(urlProblem('http://localhost:3000/', local)).toBeUndefined();
    expect(urlProblem('http://169.254.169.254/', local)).toMatch(/metadata/);
    expect(addressProblem('fd00:ec2::254', local)).toMatch(/metadata/);
  });

  it('resolves names: a DNS name pointing at a private or metadata address is refused, a public one passes', async () => {
    const resolver = (answers: Record<string, string[]>) => (host: string) => (answers[host] ? Promise.resolve(answers[host]) : Promise.reject(new Error('ENOTFOUND')));
    const dns = resolver({ 'internal.example.com': ['10.0.0.5'], 'meta.example.com': ['8.8.8.8', '169.254.169.254'], 'ok.example.com': ['8.8.8.8', '2606:4700:4700::1111'], 'mapped.example.com': ['::ffff:127.0.0.1'] });
    expect(await checkPartnerUrl('https://internal.example.com/', strict, dns)).toMatch(/internal.example.com resolves to 10.0.0.5 is a private address/);
    expect(await checkPartnerUrl('https://meta.example.com/', strict, dns)).toMatch(/169.254.169.254 is a metadata address/);
    expect(await checkPartnerUrl('https://mapped.example.com/', strict, dns)).toMatch(/loopback/);
    expect(await checkPartnerUrl('https://ok.example.com/', strict, dns)).toBeUndefined();
    expect(await checkPartnerUrl('https://internal.example.com/', local, dns)).toBeUndefined();
    // Not resolvable yet: accepted here, checked again by the guarded lookup at every call.
    expect(await checkPartnerUrl('https://nowhere.example.com/', strict, dns)).toBeUndefined();
  });
});

describe('the shared HTTP layer enforces the policy at every call', () => {
  let server: Server;
  let hits = 0;
  let port = 0;
  beforeAll(async () => {
    server = createServer((_req, res) => {
      hits += 1;
      res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const refusal = async (baseUrl: string, policy: OutboundPolicy): Promise<PartnerError> => {
    const http = createPartnerHttp({ partner: 'test', baseUrl, policy });
    const err = await http.request({ operation: 'GET x', method: 'GET', url: '/x' }).then(() => undefined, (e: unknown) => e);
    if (!isPartnerError(err)) throw new Error(`expected a PartnerError, got ${String(err)}`);
    return err;
  };

  it('refuses literal and resolved loopback addresses without sending anything, as a non-retryable error', async () => {
    const before = hits;
    for (const baseUrl of [`http://127.0.0.1:${port}`, `https://127.0.0.1:${port}`, `http://localhost:${port}`]) {
      const err = await refusal(baseUrl, strict);
      expect(err.code).toBe('OUTBOUND_URL_REFUSED');
      expect(err.decision.retry).toBe(false);
    }
    expect(hits).toBe(before);
  });

  it('the guarded lookup is what the socket resolves with: a name re-pointed at loopback is refused at connect time', async () => {
    // A name that passed the create-time check and now resolves to loopback (DNS rebinding).
    const rebound: LookupAll = () => Promise.resolve([{ address: '127.0.0.1', family: 4 }]);
    const before = hits;
    const refused = await axios.get(`http://partner.example.com:${port}/x`, { lookup: guardedLookup(() => strict, rebound), maxRedirects: 0, validateStatus: () => true }).then(() => undefined, (e: unknown) => e);
    expect((refused as { code?: string }).code).toBe(OUTBOUND_REFUSED);
    expect(hits).toBe(before);
    const allowed = await axios.get(`http://partner.example.com:${port}/x`, { lookup: guardedLookup(() => local, rebound), maxRedirects: 0, validateStatus: () => true });
    expect(allowed.status).toBe(302);
    expect(hits).toBe(before + 1);
  });

  it('does not follow a redirect to another address', async () => {
    const err = await refusal(`http://127.0.0.1:${port}`, local);
    expect(err.status).toBe(302);
    expect(err.decision.retry).toBe(false);
  });
});
