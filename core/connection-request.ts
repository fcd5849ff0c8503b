import { z } from 'zod';

/** Ids end up in workflow ids, search attributes and URLs: a conservative alphabet keeps all three simple. */
export const resourceId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'letters, digits, - and _ (1-64 characters)');

/** What the API needs of a pair to validate connections: its id, config schema and credential sides. */
export interface PairSchemaSource {
  id: string;
  configSchema: z.ZodType;
  credentials: Record<string, z.ZodType>;
}

/** Per pair: the schemas used when an update names only a part of the connection. */
export type PairSchemas = Record<string, { config: z.ZodType; credentialSides: Record<string, z.ZodType> }>;

/**
 * What a platform engineer sends to create a connection, validated per pair: the discriminator `pair` picks the
 * config and credentials schemas (credentials themselves a discriminated union on the auth method); and per pair the
 * schemas an update is checked against. Built from the pairs list (api/pair-controls.ts).
 */
export function buildConnectionSchemas(pairs: readonly PairSchemaSource[]) {
  const options = pairs.map((p) =>
    z
      .object({
        pair: z.literal(p.id),
        id: resourceId.optional(),
        customerId: resourceId,
        config: p.configSchema,
        credentials: z.object(p.credentials).strict(),
      })
      .strict(),
  );
  if (options.length === 0) throw new Error('no pairs to build connection schemas from');
  const createConnectionSchema = z.discriminatedUnion('pair', options as [(typeof options)[number], ...(typeof options)[number][]]);
  const pairSchemas: PairSchemas = Object.fromEntries(pairs.map((p) => [p.id, { config: p.configSchema, credentialSides: p.credentials }]));
  return { createConnectionSchema, pairSchemas };
}

/** A config replaces the stored one whole (validated with the pair's schema); credentials replace the sides given. */
export const updateConnectionSchema = z
  .object({
    config: z.record(z.string(), z.unknown()).optional(),
    credentials: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
  })
  .strict()
  .refine((u) => u.config !== undefined || u.credentials !== undefined, { message: 'send config, credentials or both' });

export interface FieldProblem {
  path: string;
  message: string;
}

/** zod issues as `{ path, message }`: never the offending input, which for credentials would be a secret. */
export function fieldProblems(error: z.ZodError, prefix: (string | number)[] = []): FieldProblem[] {
  return error.issues.map((i) => ({ path: [...prefix, ...i.path].map(String).join('.') || '(body)', message: i.message }));
}
