import { type AsanaUser } from '../../connectors/asana';
import { type RosterStatus } from '../../db/roster-entries';

/**
 * EMPL_STATUS translate values (PeopleSoft HCM, field EMPL_STATUS on JOB/PERSONAL_DATA views): A Active, L Leave of
 * absence, P Leave with pay, S Suspended, W Short work break, D Deceased, R Retired, T Terminated, Q/U/V/X retired or
 * terminated variants. Only A can act on an approval; an inquiry that returns no status is taken as active.
 */
export const isActiveEmployee = (emplStatus: string | null | undefined) => emplStatus === undefined || emplStatus === null || emplStatus === '' || emplStatus === 'A';

export const normalizeEmail = (email: string | null | undefined) => {
  const e = email?.trim().toLowerCase();
  return e ? e : null;
};

/** The workspace's users by lower-case email (users whose email Asana hides cannot be matched). */
export function usersByEmail(users: readonly AsanaUser[]): Map<string, AsanaUser> {
  return new Map(users.filter((u) => u.email).map((u) => [u.email!, u]));
}

/** An employee's roster status and Asana user, from their status and email and the workspace's users. */
export function matchEmployee(
  employee: { email: string | null; emplStatus: string | null },
  users: ReadonlyMap<string, AsanaUser>,
): { status: RosterStatus; asanaUserGid: string | null; asanaUserName: string | null } {
  const user = employee.email ? users.get(employee.email) : undefined;
  const asana = { asanaUserGid: user?.gid ?? null, asanaUserName: user?.name ?? null };
  if (!isActiveEmployee(employee.emplStatus)) return { status: 'inactive', ...asana };
  return { status: user ? 'matched' : 'no-asana-account', ...asana };
}
