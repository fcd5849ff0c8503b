import { z } from 'zod';
import { asanaAuthSchema } from './auth';

const connectionFields = {
  /** https://app.asana.com/api/1.0 (asana_oas.yaml `servers`); a sandbox connection points at the simulator. */
  baseUrl: z.string().url().default('https://app.asana.com/api/1.0'),
  /**
   * Where OAuth access tokens are refreshed. Asana serves it beside the API root, not under it
   * (https://app.asana.com/-/oauth_token); when unset it is derived from baseUrl (see asanaTokenUrlFor).
   */
  tokenUrl: z.string().url().optional(),
  workspaceGid: z.string().regex(/^\d+$/, 'workspaceGid is a numeric string GID'),
  projectGid: z.string().regex(/^\d+$/, 'projectGid is a numeric string GID'),
};

/**
 * One Asana connection's settings, parsed once where the connection is loaded; secrets never leave this object.
 * `token` alone is shorthand for `auth: { method: 'pat', token }` (tests, benchmarks and the demo use it).
 */
export const asanaConfigSchema = z.union([
  z.object({ ...connectionFields, auth: asanaAuthSchema }).strict(),
  z
    .object({ ...connectionFields, token: z.string().min(1) })
    .strict()
    .transform(({ token, ...rest }) => ({ ...rest, auth: { method: 'pat' as const, token } })),
]);
export type AsanaConfig = z.output<typeof asanaConfigSchema>;
export type AsanaConfigInput = z.input<typeof asanaConfigSchema>;
