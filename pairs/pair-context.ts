import { type z } from 'zod';
import { MappingError, type FlowContext } from '../activities/flows/types';
import { createPeopleSoftConnector, type PeopleSoftConnector, type PeopleSoftEndpointInput } from '../connectors/peoplesoft';

/**
 * What every pair's context does the same way: parse the connection's decrypted credentials, and bind the PeopleSoft
 * side. A pair's own context.ts adds its partner's connector.
 */
export function pairCredentials<T extends z.ZodTypeAny>(ctx: FlowContext, schema: T): z.infer<T> {
  const creds = schema.safeParse(ctx.credentials);
  // zod issues can echo the offending value; for credentials only the paths are safe to report.
  if (!creds.success) throw new MappingError(`connection ${ctx.connection.id}: credentials are incomplete (${creds.error.issues.map((i) => i.path.join('.')).join(', ')})`);
  return creds.data as z.infer<T>;
}

/**
 * The connection's PeopleSoft connector. An IdP token (OAuth 2.0 client credentials) lives in the shared encrypted
 * store (oauth_tokens, side `peoplesoft`): one grant for every activity and worker of the connection, not one per
 * activity.
 */
export function peopleSoftFor(ctx: FlowContext, endpoint: PeopleSoftEndpointInput): PeopleSoftConnector {
  return createPeopleSoftConnector(endpoint, { telemetry: ctx.telemetry, tokenStore: ctx.oauthTokens?.('peoplesoft') });
}

/**
 * A pair's context built once per FlowContext: a poll attempt loads the connection once and runs every due flow (and
 * its housekeeping) with that one FlowContext, so the flows share their connectors (HTTP clients, token stores)
 * instead of parsing the config and building them again per flow. A new FlowContext (the next activity) builds anew.
 */
export function oncePerContext<T>(build: (ctx: FlowContext) => T): (ctx: FlowContext) => T {
  const built = new WeakMap<FlowContext, T>();
  return (ctx) => {
    if (!built.has(ctx)) built.set(ctx, build(ctx));
    return built.get(ctx) as T;
  };
}
