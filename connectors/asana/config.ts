import { z } from 'zod';

/** One Asana connection's settings, parsed once where the connection is loaded; the token never leaves this object. */
export const asanaConfigSchema = z
  .object({
    /** https://app.asana.com/api/1.0 (asana_oas.yaml `servers`); a sandbox connection points at the simulator. */
    baseUrl: z.string().url().default('https://app.asana.com/api/1.0'),
    workspaceGid: z.string().regex(/^\d+$/, 'workspaceGid is a numeric string GID'),
    projectGid: z.string().regex(/^\d+$/, 'projectGid is a numeric string GID'),
    /** Personal access token or OAuth access token; both are sent as `Authorization: Bearer`. */
    token: z.string().min(1),
  })
  .strict();
export type AsanaConfig = z.infer<typeof asanaConfigSchema>;
export type AsanaConfigInput = z.input<typeof asanaConfigSchema>;
