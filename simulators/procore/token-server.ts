import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { SimClock } from '../kit/clock';
import { expireLiveTokens } from '../kit/expire-tokens';

/**
 * `POST /oauth/token` on the login host, client credentials only (a Developer Managed Service Account):
 * `{"access_token","token_type":"bearer","expires_in":5400,"created_at":<unix>}`, no refresh token
 * (https://developers.procore.com/documentation/oauth-client-credentials). A wrong client answers Doorkeeper's
 * `401 {"error":"invalid_client"}`. Tokens expire on the simulator clock, so a test can move time past 5,400 s.
 */
export const tokenSettingsSchema = z.object({ lifetimeSeconds: z.number().int().min(1).default(5400) }).strict();

export class ProcoreTokens {
  settings = tokenSettingsSchema.parse({});
  private readonly clients = new Map<string, string>();
  private readonly tokens = new Map<string, { clientId: string; expiresAtMs: number }>();
  readonly counts = { issued: 0, refused: 0 };

  constructor(private readonly clock: SimClock) {}

  registerClient(): { clientId: string; clientSecret: string } {
    const clientId = `dmsa-${this.clients.size + 1}-${randomBytes(4).toString('hex')}`;
    const clientSecret = randomBytes(20).toString('hex');
    this.clients.set(clientId, clientSecret);
    return { clientId, clientSecret };
  }

  /** The client a live token belongs to, or why it is refused. */
  verify(token: string): { clientId: string } | 'unknown' | 'expired' {
    const t = this.tokens.get(token);
    if (!t) return 'unknown';
    return this.clock.nowMs() >= t.expiresAtMs ? 'expired' : { clientId: t.clientId };
  }

  /** Ends every live token now (an administrator revoking the DMSA's sessions): the next call with one is a 401. */
  expireAll(): number {
    return expireLiveTokens(this.tokens.values(), this.clock.nowMs());
  }

  exchange(form: Record<string, unknown>): { status: number; body: Record<string, unknown> } {
    const field = (k: string) => (typeof form[k] === 'string' ? (form[k] as string) : undefined);
    if (field('grant_type') !== 'client_credentials') {
      this.counts.refused += 1;
      return { status: 400, body: { error: 'unsupported_grant_type', error_description: 'The authorization grant type is not supported by the authorization server.' } };
    }
    const clientId = field('client_id') ?? '';
    if (!this.clients.has(clientId) || this.clients.get(clientId) !== field('client_secret')) {
      this.counts.refused += 1;
      return { status: 401, body: { error: 'invalid_client', error_description: 'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.' } };
    }
    const accessToken = randomBytes(32).toString('base64url');
    const now = this.clock.nowMs();
    this.tokens.set(accessToken, { clientId, expiresAtMs: now + this.settings.lifetimeSeconds * 1000 });
    this.counts.issued += 1;
    return { status: 200, body: { access_token: accessToken, token_type: 'bearer', expires_in: this.settings.lifetimeSeconds, created_at: Math.floor(now / 1000) } };
  }
}
