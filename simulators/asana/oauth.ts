import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { SimClock } from '../kit/clock';
import type { AsanaStore } from './store';
import { expireLiveTokens } from '../kit/expire-tokens';

/**
 * Asana's OAuth token endpoint, for refresh_token grants (https://developers.asana.com/docs/oauth, "Token exchange
 * endpoint"). Clients are registered and users authorize them through `/__admin/oauth` (the browser part of the
 * authorization code flow is not modelled); the answer to a refresh is what Asana documents.
 */
export const oauthSettingsSchema = z
  .object({
    /** Asana's access tokens last one hour: "expires_in ... typically 3600" (same page). */
    accessTokenLifetimeSeconds: z.number().int().min(1).default(3600),
    /** How long the token endpoint takes to answer (a slow Asana), e.g. so that two clients' refreshes overlap. */
    latencyMs: z.number().int().min(0).max(60_000).default(0),
  })
  .strict();
export type OAuthSettings = z.infer<typeof oauthSettingsSchema>;

export const registerClientSchema = z.object({ clientId: z.string().min(1).optional(), clientSecret: z.string().min(8).optional() }).strict();
export const authorizeSchema = z.object({ clientId: z.string().min(1), userGid: z.string().optional() }).strict();

interface Grant {
  clientId: string;
  userGid: string;
}

export interface TokenAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** Access tokens expired this long ago are forgotten (then answered like any unknown token). */
const FORGET_EXPIRED_AFTER_MS = 24 * 3_600_000;
const newSecret = (bytes: number) => randomBytes(bytes).toString('hex');

export class OAuthServer {
  private settings: OAuthSettings = oauthSettingsSchema.parse({});
  private readonly clients = new Map<string, string>();
  private readonly grants = new Map<string, Grant>();
  private readonly counts = { granted: 0, refused: 0 };

  constructor(
    private readonly store: AsanaStore,
    private readonly clock: SimClock,
  ) {}

  configure(input: unknown): OAuthSettings {
    this.settings = oauthSettingsSchema.parse({ ...this.settings, ...(input as object) });
    return this.current();
  }

  current(): OAuthSettings {
    return { ...this.settings };
  }

  /** Refreshes answered and refused since start (the token endpoint is not in the request log: its bodies are secrets). */
  stats(): { granted: number; refused: number } {
    return { ...this.counts };
  }

  registerClient(input: unknown): { clientId: string; clientSecret: string } {
    const c = registerClientSchema.parse(input ?? {});
    const clientId = c.clientId ?? String(1_000_000_000_000 + this.clients.size + 1);
    const clientSecret = c.clientSecret ?? newSecret(16);
    this.clients.set(clientId, clientSecret);
    return { clientId, clientSecret };
  }

  /** What a completed authorization code exchange leaves the app with: a refresh token and a first access token. */
  authorize(input: unknown): { refreshToken: string; accessToken: string; expiresIn: number; userGid: string } {
    const a = authorizeSchema.parse(input);
    if (!this.clients.has(a.clientId)) throw new Error(`no OAuth client ${a.clientId} is registered`);
    const userGid = a.userGid ?? [...this.store.users.keys()][0];
    if (!userGid || !this.store.users.has(userGid)) throw new Error(`no user ${a.userGid ?? '(none seeded)'}`);
    const refreshToken = `1/${newSecret(24)}`;
    this.grants.set(refreshToken, { clientId: a.clientId, userGid });
    const { accessToken, expiresIn } = this.issue(refreshToken);
    return { refreshToken, accessToken, expiresIn, userGid };
  }

  /**
   * The user takes the app's access away: the refresh token stops working and so do the access tokens issued from it
   * (https://developers.asana.com/docs/oauth, "Token deauthorization endpoint"; that access tokens die with their
   * refresh token is UNCONFIRMED, and the stricter choice here).
   */
  revoke(refreshToken: string): boolean {
    if (!this.grants.delete(refreshToken)) return false;
    for (const [token, t] of this.store.tokens) if (t.oauth?.grant === refreshToken) this.store.tokens.delete(token);
    return true;
  }

  /**
   * Every live OAuth access token expires now, as at the end of its hour (https://developers.asana.com/docs/oauth:
   * access tokens expire after one hour, then calls answer 401): refresh tokens and personal access tokens stay good.
   * Moving the simulator's clock would do the same but also age webhooks and pagination offsets. Returns how many.
   */
  expireAll(): number {
    return expireLiveTokens([...this.store.tokens.values()].flatMap((t) => (t.oauth ? [t.oauth] : [])), this.clock.nowMs());
  }

  /**
   * POST /-/oauth_token with a form body. Only grant_type=refresh_token is modelled. Refusals use RFC 6749 §5.2's
   * `{"error": ...}` (not Asana's `errors` envelope): Asana answers a dead refresh token with
   * `400 {"error":"invalid_grant"}` (seen in the field, e.g. https://github.com/raycast/extensions/issues/10582); its
   * answer to a wrong client secret is UNCONFIRMED, and RFC 6749's 401 invalid_client is used.
   */
  exchange(form: Record<string, unknown>): TokenAnswer {
    const field = (k: string) => (typeof form[k] === 'string' ? form[k] : undefined);
    const refuse = (status: number, error: string): TokenAnswer => {
      this.counts.refused += 1;
      return { status, body: { error } };
    };
    const grantType = field('grant_type');
    if (!grantType) return refuse(400, 'invalid_request');
    if (grantType !== 'refresh_token') return refuse(400, 'unsupported_grant_type');
    const clientId = field('client_id');
    if (!clientId || this.clients.get(clientId) !== field('client_secret')) return refuse(401, 'invalid_client');
    const refreshToken = field('refresh_token');
    const grant = refreshToken ? this.grants.get(refreshToken) : undefined;
    if (!refreshToken || !grant || grant.clientId !== clientId) return refuse(400, 'invalid_grant');
    this.forgetExpired();
    const { accessToken, expiresIn } = this.issue(refreshToken);
    const user = this.store.users.get(grant.userGid);
    this.counts.granted += 1;
    // No refresh_token in the answer: Asana returns one only when a code is exchanged (same page, "Response").
    return {
      status: 200,
      body: {
        access_token: accessToken,
        expires_in: expiresIn,
        token_type: 'bearer',
        data: { id: Number(grant.userGid), gid: grant.userGid, name: user?.name ?? '', email: user?.email ?? '' },
      },
    };
  }

  private issue(refreshToken: string): { accessToken: string; expiresIn: number } {
    const grant = this.grants.get(refreshToken)!;
    const accessToken = newSecret(32);
    const expiresIn = this.settings.accessTokenLifetimeSeconds;
    this.store.tokens.set(accessToken, {
      token: accessToken,
      userGid: grant.userGid,
      oauth: { clientId: grant.clientId, grant: refreshToken, expiresAtMs: this.clock.nowMs() + expiresIn * 1000 },
    });
    return { accessToken, expiresIn };
  }

  private forgetExpired(): void {
    const cutoff = this.clock.nowMs() - FORGET_EXPIRED_AFTER_MS;
    for (const [token, t] of this.store.tokens) if (t.oauth && t.oauth.expiresAtMs < cutoff) this.store.tokens.delete(token);
  }
}
