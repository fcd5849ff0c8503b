import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { SimClock } from '../kit/clock';
import { expireLiveTokens } from '../kit/expire-tokens';

/**
 * Atlassian OAuth 2.0 (3LO) (https://developer.atlassian.com/cloud/jira/platform/oauth-2-3lo-apps/):
 * `POST https://auth.atlassian.com/oauth/token` with a JSON body `{grant_type:"refresh_token", client_id,
 * client_secret, refresh_token}` answers `{access_token, refresh_token, expires_in: 3600, scope, token_type}`.
 * Refresh tokens rotate: each refresh returns a new refresh token and the one used stops working
 * ("Implementing rotating refresh tokens" in the same guide); a used or unknown one is refused in the RFC 6749 §5.2
 * shape, `403 {"error":"invalid_grant"}`, the status Atlassian gives an invalid refresh token.
 */
export const oauthSettingsSchema = z.object({ accessTokenTtlSeconds: z.number().int().min(1).default(3600) }).strict();
export type OAuthSettings = z.infer<typeof oauthSettingsSchema>;

interface Grant {
  clientId: string;
  accountId: string;
}

export class OAuthServer {
  private settings: OAuthSettings = oauthSettingsSchema.parse({});
  private readonly clients = new Map<string, string>();
  private readonly refreshTokens = new Map<string, Grant>();
  private readonly accessTokens = new Map<string, Grant & { expiresAtMs: number }>();
  readonly counts = { granted: 0, refused: 0 };

  constructor(private readonly clock: SimClock) {}

  configure(input: unknown): OAuthSettings {
    this.settings = oauthSettingsSchema.parse({ ...this.settings, ...(input as object) });
    return this.settings;
  }

  registerClient(input: { clientId?: string; clientSecret?: string } = {}): { clientId: string; clientSecret: string } {
    const clientId = input.clientId ?? randomBytes(16).toString('hex');
    const clientSecret = input.clientSecret ?? randomBytes(32).toString('base64url');
    this.clients.set(clientId, clientSecret);
    return { clientId, clientSecret };
  }

  clientSecret(clientId: string): string | undefined {
    return this.clients.get(clientId);
  }

  /** The user clicked "Accept" and the app exchanged the code: a first access token and a refresh token. */
  authorize(clientId: string, accountId: string): { refreshToken: string; accessToken: string; expiresIn: number } {
    if (!this.clients.has(clientId)) throw new Error(`unknown OAuth client ${clientId}`);
    const refreshToken = `rt-${randomBytes(24).toString('base64url')}`;
    this.refreshTokens.set(refreshToken, { clientId, accountId });
    return { refreshToken, accessToken: this.issueAccess({ clientId, accountId }), expiresIn: this.settings.accessTokenTtlSeconds };
  }

  revoke(refreshToken: string): boolean {
    return this.refreshTokens.delete(refreshToken);
  }

  /** The token endpoint's answer to one request body: status and JSON. */
  token(body: unknown): { status: number; body: unknown } {
    const parsed = z.object({ grant_type: z.string(), client_id: z.string(), client_secret: z.string(), refresh_token: z.string() }).safeParse(body);
    if (!parsed.success || parsed.data.grant_type !== 'refresh_token') return this.refuse(400, 'invalid_request');
    const { client_id: clientId, client_secret: secret, refresh_token: rt } = parsed.data;
    if (this.clients.get(clientId) !== secret) return this.refuse(401, 'access_denied');
    const grant = this.refreshTokens.get(rt);
    if (!grant || grant.clientId !== clientId) return this.refuse(403, 'invalid_grant');
    this.refreshTokens.delete(rt);
    const next = `rt-${randomBytes(24).toString('base64url')}`;
    this.refreshTokens.set(next, grant);
    this.counts.granted += 1;
    return {
      status: 200,
      body: { access_token: this.issueAccess(grant), refresh_token: next, expires_in: this.settings.accessTokenTtlSeconds, scope: 'read:jira-work write:jira-work manage:jira-webhook offline_access', token_type: 'Bearer' },
    };
  }

  access(token: string): (Grant & { expired: boolean }) | undefined {
    const t = this.accessTokens.get(token);
    return t ? { clientId: t.clientId, accountId: t.accountId, expired: this.clock.nowMs() >= t.expiresAtMs } : undefined;
  }

  /**
   * Every live access token expires now, as at the end of its `expires_in: 3600`
   * (https://developer.atlassian.com/cloud/jira/platform/oauth-2-3lo-apps/): the next call with one is 401, the newest
   * refresh token still gets a new pair. Moving the simulator's clock would do the same but also age dynamic webhooks
   * and the points quota window. Returns how many.
   */
  expireAll(): number {
    return expireLiveTokens(this.accessTokens.values(), this.clock.nowMs());
  }

  private issueAccess(grant: Grant): string {
    const token = `at-${randomBytes(24).toString('base64url')}`;
    this.accessTokens.set(token, { ...grant, expiresAtMs: this.clock.nowMs() + this.settings.accessTokenTtlSeconds * 1000 });
    return token;
  }

  private refuse(status: number, error: string): { status: number; body: unknown } {
    this.counts.refused += 1;
    return { status, body: { error, error_description: error === 'invalid_grant' ? 'Unknown or invalid refresh token.' : 'The request was refused.' } };
  }
}
