import { randomBytes, timingSafeEqual } from 'node:crypto';
import express, { Router } from 'express';
import { z } from 'zod';
import { type PsAuth } from './auth';

/** A client the customer's IdP knows: its secret, the PeopleSoft user its tokens map to, and their lifetime. */
export const idpClientSchema = z
  .object({
    clientId: z.string().min(1).default(() => `mlc-${randomBytes(6).toString('hex')}`),
    clientSecret: z.string().min(8).default(() => randomBytes(18).toString('base64url')),
    oprid: z.string().min(1),
    expiresInSeconds: z.number().int().min(1).default(3600),
    /** When set, a request must ask for exactly this scope (or none). */
    scope: z.string().min(1).optional(),
  })
  .strict();
export type IdpClient = z.output<typeof idpClientSchema>;

const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * The customer's identity provider, reduced to its token endpoint: RFC 6749 §4.4 client credentials
 * (https://datatracker.ietf.org/doc/html/rfc6749#section-4.4). PeopleSoft is only the resource server: the tokens it
 * issues are accepted by this simulator's gateway (PsAuth) until they expire on the simulator's movable clock.
 */
export class SimIdp {
  private readonly clients = new Map<string, IdpClient>();
  private issuedCount = 0;

  constructor(private readonly auth: PsAuth) {}

  register(input: unknown): IdpClient {
    const client = idpClientSchema.parse(input);
    this.clients.set(client.clientId, client);
    return client;
  }

  stats(): { issued: number } {
    return { issued: this.issuedCount };
  }

  router(): Router {
    const r = Router();
    // RFC 6749 §4.4.2: form-encoded; client authentication in the body (§2.3.1) or HTTP Basic.
    r.post('/oauth2/token', express.urlencoded({ extended: false }), (req, res) => {
      res.set('Cache-Control', 'no-store').set('Pragma', 'no-cache');
      const body = (req.body ?? {}) as Record<string, string | undefined>;
      const basic = /^Basic (.+)$/i.exec(req.get('authorization') ?? '')?.[1];
      const [basicId, basicSecret] = basic ? Buffer.from(basic, 'base64').toString('utf8').split(':', 2) : [];
      const clientId = basicId ?? body.client_id;
      const clientSecret = basicSecret ?? body.client_secret;
      // RFC 6749 §5.2 error answers.
      if (body.grant_type !== 'client_credentials') return void res.status(400).json({ error: 'unsupported_grant_type' });
      const client = clientId ? this.clients.get(clientId) : undefined;
      if (!client || !clientSecret || !same(client.clientSecret, clientSecret)) return void res.status(401).json({ error: 'invalid_client' });
      if (body.scope !== undefined && body.scope !== client.scope) return void res.status(400).json({ error: 'invalid_scope' });
      this.issuedCount += 1;
      const token = this.auth.mintToken(client.oprid, client.expiresInSeconds);
      res.json({ access_token: token, token_type: 'Bearer', expires_in: client.expiresInSeconds, ...(client.scope ? { scope: client.scope } : {}) });
    });
    return r;
  }
}
