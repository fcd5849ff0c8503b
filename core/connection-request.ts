import { z } from 'zod';
import { PAIR as PEOPLESOFT_ASANA, peopleSoftAsanaConfigSchema, peopleSoftAsanaCredentialsSchema } from './pairs/peoplesoft-asana';

/** Ids end up in workflow ids, search attributes and URLs: a conservative alphabet keeps all three simple. */
export const resourceId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'letters, digits, - and _ (1-64 characters)');

/**
 * What a platform engineer sends to create a connection, validated per pair: the discriminator `pair` picks the
 * config and credentials schemas (credentials themselves a discriminated union on the auth method).
 */
export const createConnectionSchema = z.discriminatedUnion('pair', [
  z
    .object({
      pair: z.literal(PEOPLESOFT_ASANA),
      id: resourceId.optional(),
      customerId: resourceId,
      config: peopleSoftAsanaConfigSchema,
      credentials: peopleSoftAsanaCredentialsSchema.strict(),
    })
    .strict(),
]);
export type CreateConnectionRequest = z.infer<typeof createConnectionSchema>;

/** A config replaces the stored one whole (validated with the pair's schema); credentials replace the sides given. */
export const updateConnectionSchema = z
  .object({
    config: z.record(z.string(), z.unknown()).optional(),
    credentials: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
  })
  .strict()
  .refine((u) => u.config !== undefined || u.credentials !== undefined, { message: 'send config, credentials or both' });

/** Per pair: the schemas used when an update names only a part of the connection. */
export const pairSchemas: Record<string, { config: z.ZodType; credentialSides: Record<string, z.ZodType> }> = {
  [PEOPLESOFT_ASANA]: {
    config: peopleSoftAsanaConfigSchema,
    credentialSides: peopleSoftAsanaCredentialsSchema.shape,
  },
};

export interface FieldProblem {
  path: string;
  message: string;
}

/** zod issues as `{ path, message }`: never the offending input, which for credentials would be a secret. */
export function fieldProblems(error: z.ZodError, prefix: (string | number)[] = []): FieldProblem[] {
  return error.issues.map((i) => ({ path: [...prefix, ...i.path].map(String).join('.') || '(body)', message: i.message }));
}
