import { randomBytes, timingSafeEqual } from 'node:crypto';
import { type SimClock } from '../kit/clock';
import { expireLiveTokens } from '../kit/expire-tokens';

export interface PsUser {
  oprid: string;
  password: string;
  /** Service operations the user's permission lists grant, or '*' for all. */
  operations: '*' | string[];
}

export type Identity = { ok: true; oprid: string } | { ok: false; oprid?: string };

/** The credentials a request carried, whatever the transport (HTTP Authorization header or WS-Security). */
export type Presented =
  | { kind: 'basic'; oprid: string; password: string }
  | { kind: 'bearer'; token: string }
  | { kind: 'none' };

const same = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

export function parseAuthorization(header: string | undefined): Presented {
  if (!header) return { kind: 'none' };
  const [scheme, value = ''] = header.split(/\s+/, 2);
  if (scheme?.toLowerCase() === 'bearer' && value) return { kind: 'bearer', token: value };
  if (scheme?.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) return { kind: 'basic', oprid: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  return { kind: 'none' };
}

/**
 * Operator ids with passwords and permission lists, plus OAuth2 bearer tokens. PeopleSoft is only the OAuth2
 * resource server (the IdP issues tokens), so the simulator keeps a token list that tests mint through the admin
 * surface: https://docs.oracle.com/en/applications/peoplesoft/peopletools/8.63/security-administration/service-application-rest-provider.html
 */
export class PsAuth {
  private readonly users = new Map<string, PsUser>();
  private readonly tokens = new Map<string, { oprid: string; expiresAtMs?: number }>();

  constructor(private readonly clock: SimClock) {}

  putUser(user: PsUser): void {
    this.users.set(user.oprid, user);
  }

  deleteUser(oprid: string): boolean {
    return this.users.delete(oprid);
  }

  listUsers(): Array<Omit<PsUser, 'password'>> {
    return [...this.users.values()].map(({ oprid, operations }) => ({ oprid, operations }));
  }

  addToken(token: string, oprid: string, expiresInSeconds?: number): void {
    this.tokens.set(token, { oprid, expiresAtMs: expiresInSeconds === undefined ? undefined : this.clock.nowMs() + expiresInSeconds * 1000 });
  }

  mintToken(oprid: string, expiresInSeconds: number): string {
    const token = `psoauth-${randomBytes(18).toString('base64url')}`;
    this.addToken(token, oprid, expiresInSeconds);
    return token;
  }

  /**
   * Every bearer token still live expires now, as at the end of its lifetime: the next call with one is 401 (RFC 6750
   * §3.1 invalid_token, https://datatracker.ietf.org/doc/html/rfc6750#section-3.1). Moving the simulator's clock
   * would do the same but also move LASTUPDDTTM stamps, which the pairs' reads are windowed on. Returns how many.
   */
  expireTokens(): number {
    return expireLiveTokens(this.tokens.values(), this.clock.nowMs());
  }

  authenticate(presented: Presented): Identity {
    if (presented.kind === 'basic') {
      const user = this.users.get(presented.oprid);
      return user && same(user.password, presented.password) ? { ok: true, oprid: user.oprid } : { ok: false, oprid: presented.oprid };
    }
    if (presented.kind === 'bearer') {
      const entry = this.tokens.get(presented.token);
      if (!entry || (entry.expiresAtMs !== undefined && entry.expiresAtMs <= this.clock.nowMs())) return { ok: false };
      return this.users.has(entry.oprid) ? { ok: true, oprid: entry.oprid } : { ok: false, oprid: entry.oprid };
    }
    return { ok: false };
  }

  /** https://ib.books.cedarhillsgroup.com/rest/rest-security/: the user's permission list must grant the operation. */
  mayInvoke(oprid: string, operation: string): boolean {
    const user = this.users.get(oprid);
    if (!user) return false;
    return user.operations === '*' || user.operations.includes(operation);
  }
}
