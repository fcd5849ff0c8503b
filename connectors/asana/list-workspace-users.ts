import { z } from 'zod';
import type { AsanaClient } from './client';

/** A user of the workspace with the fields the roster needs; `email` is absent without opt_fields (compact records). */
const rawUserSchema = z.object({ gid: z.string(), name: z.string().nullable().optional(), email: z.string().nullable().optional() }).loose();

export interface AsanaUser {
  gid: string;
  name: string;
  /** Lower case, trimmed: how the roster matches PeopleSoft's EMAILID. Absent when Asana hides it. */
  email?: string;
}

/**
 * Every user of the connection's workspace: GET /users?workspace=<gid>&opt_fields=email,name, paged with `limit` and
 * `next_page.offset` (getUsers, https://developers.asana.com/reference/getusers, "Results are sorted by user ID").
 * /workspaces/{gid}/users (https://developers.asana.com/reference/getusersforworkspace) is capped at 2,000 users, so
 * the paged listing is used instead. Users are compact by default: without opt_fields there is no email.
 */
export async function listWorkspaceUsers(client: AsanaClient): Promise<AsanaUser[]> {
  const users: AsanaUser[] = [];
  const call = { operation: 'GET /users', method: 'GET' as const, path: '/users', query: { workspace: client.config.workspaceGid, opt_fields: 'email,name' } };
  for await (const page of client.pages(call, rawUserSchema)) {
    for (const u of page) {
      const email = u.email?.trim().toLowerCase();
      users.push({ gid: u.gid, name: u.name ?? '', ...(email ? { email } : {}) });
    }
  }
  return users;
}
