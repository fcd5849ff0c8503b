import { z } from 'zod';
import { providerOverrideSchema } from './provider-schema';

/**
 * How a connection authenticates to JAGGAER: OAuth2 client credentials against the instance's Keycloak realm
 * (partner-apis.md part 2 §4). The secret is a credential: it never leaves this object, never reaches logs or history.
 */
export const jaggaerAuthSchema = z
  .object({
    method: z.literal('client_credentials').default('client_credentials'),
    clientId: z.string().min(1, 'clientId is the JAGGAER integration client id'),
    clientSecret: z.string().min(1, 'clientSecret is the JAGGAER integration client secret'),
  })
  .strict();
export type JaggaerAuth = z.output<typeof jaggaerAuthSchema>;

/** One JAGGAER connection's settings, parsed once where the connection is loaded. */
export const jaggaerConfigSchema = z
  .object({
    /** The customer's own instance, e.g. https://prep-reg02.api.jaggaer.com (one host per customer and region). */
    instanceUrl: z.string().url('instanceUrl is the customer instance root, e.g. https://prep-reg02.api.jaggaer.com'),
    /** The token endpoint when it is not `<instanceUrl><provider.tokenPath>` (a separate identity host). */
    tokenUrl: z.string().url().optional(),
    auth: jaggaerAuthSchema,
    /** This customer's JAGGAER variant: paths, list keys, field names, filter keys that differ from the defaults. */
    provider: providerOverrideSchema.optional(),
  })
  .strict();
export type JaggaerConfig = z.output<typeof jaggaerConfigSchema>;
export type JaggaerConfigInput = z.input<typeof jaggaerConfigSchema>;

/** Parses a connection's JAGGAER settings, or throws one message naming the first bad field and what is wrong. */
export function parseJaggaerConfig(input: unknown): JaggaerConfig {
  const parsed = jaggaerConfigSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new Error(`JAGGAER connection config: ${(issue?.path ?? []).join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
}
