import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { SimClock } from '../kit/clock';
import { expireLiveTokens } from '../kit/expire-tokens';

/**
 * The instance's Keycloak realm `J1p-integrations`, client credentials grant only
 * (https://www.keycloak.org/docs/latest/securing_apps/#_client_credentials_grant; realm path from
 * UCLALibrary/jaggaer-api jaggaer_api_client.py). Keycloak's default access token lifespan is 5 minutes
 * (https://www.keycloak.org/docs/latest/server_admin/#_timeouts); JAGGAER's own setting is UNCONFIRMED.
 */
export const TOKEN_PATH = '/auth/realms/J1p-integrations/protocol/openid-connect/token';

export const tokenSettingsSchema = z
  .object({ accessTokenLifetimeSeconds: z.number().int().min(1).default(300), latencyMs: z.number().int().min(0).max(60_000).default(0) })
  .strict();
export type TokenSettings = z.infer<typeof tokenSettingsSchema>;

const registerSchema = z.object({ clientId: z.string().min(1).optional(), clientSecret: z.string().min(8).optional() }).strict();

export interface TokenAnswer {
  status: number;
  body: Record<string, unknown>;
}

export class TokenServer {
  private settings: TokenSettings = tokenSettingsSchema.parse({});
  private readonly clients = new Map<string, string>();
  /** access token -> expiry (simulator clock ms) and its client. */
  private readonly tokens = new Map<string, { clientId: string; expiresAtMs: number }>();
  private readonly counts = { issued: 0, refused: 0 };

  constructor(private readonly clock: SimClock) {}

  configure(input: unknown): TokenSettings {
    this.settings = tokenSettingsSchema.parse({ ...this.settings, ...(input as object) });
    return this.current();
  }
  current(): TokenSettings {
    return { ...this.settings };
  }
  stats(): { issued: number; refused: number; live: number } {
    const now = this.clock.nowMs();
    return { ...this.counts, live: [...this.tokens.values()].filter((t) => t.expiresAtMs > now).length };
  }

  registerClient(input: unknown): { clientId: string; clientSecret: string } {
    const c = registerSchema.parse(input ?? {});
    const clientId = c.clientId ?? `mlc-integration-${this.clients.size + 1}`;
    const clientSecret = c.clientSecret ?? randomBytes(16).toString('hex');
    this.clients.set(clientId, clientSecret);
    return { clientId, clientSecret };
  }

  /** Revokes every token of a client (an administrator disabling the integration user). */
  revokeClient(clientId: string): boolean {
    for (const [token, t] of this.tokens) if (t.clientId === clientId) this.tokens.delete(token);
    return this.clients.delete(clientId);
  }

  /** Ends every live token now (an administrator logging the integration out): the next call with one is a 401. */
  expireAll(): number {
    return expireLiveTokens(this.tokens.values(), this.clock.nowMs());
  }

  /** Whether a bearer token is live now: unknown and expired tokens are both refused. */
  verify(token: string): 'ok' | 'unknown' | 'expired' {
    const t = this.tokens.get(token);
    if (!t) return 'unknown';
    return this.clock.nowMs() >= t.expiresAtMs ? 'expired' : 'ok';
  }

  /**
   * Keycloak's answers: missing grant_type `400 invalid_request`, another grant `400 unsupported_grant_type`, a wrong
   * client id or secret `401 unauthorized_client` "Invalid client or Invalid client credentials" (Keycloak's message for
   * a confidential client that fails authentication; whether JAGGAER's realm words it the same is UNCONFIRMED).
   */
  exchange(form: Record<string, unknown>): TokenAnswer {
    const field = (k: string) => (typeof form[k] === 'string' ? form[k] : undefined);
    const refuse = (status: number, error: string, description: string): TokenAnswer => {
      this.counts.refused += 1;
      return { status, body: { error, error_description: description } };
    };
    const grantType = field('grant_type');
    if (!grantType) return refuse(400, 'invalid_request', 'Missing form parameter: grant_type');
    if (grantType !== 'client_credentials') return refuse(400, 'unsupported_grant_type', 'Unsupported grant_type');
    const clientId = field('client_id');
    if (!clientId || this.clients.get(clientId) === undefined || this.clients.get(clientId) !== field('client_secret')) {
      return refuse(401, 'unauthorized_client', 'Invalid client or Invalid client credentials');
    }
    this.forgetExpired();
    const accessToken = randomBytes(32).toString('base64url');
    const expiresIn = this.settings.accessTokenLifetimeSeconds;
    this.tokens.set(accessToken, { clientId, expiresAtMs: this.clock.nowMs() + expiresIn * 1000 });
    this.counts.issued += 1;
    return {
      status: 200,
      body: { access_token: accessToken, expires_in: expiresIn, refresh_expires_in: 0, token_type: 'Bearer', 'not-before-policy': 0, scope: 'profile email' },
    };
  }

  private forgetExpired(): void {
    const cutoff = this.clock.nowMs() - 3_600_000;
    for (const [token, t] of this.tokens) if (t.expiresAtMs < cutoff) this.tokens.delete(token);
  }
}
