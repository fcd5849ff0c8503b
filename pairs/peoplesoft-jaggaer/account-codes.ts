import { MappingError, type RecordReference } from '../../activities/flows/types';
import type { AccountInput } from '../../connectors/jaggaer';
import { recordKey, type PeopleSoftRow } from '../../connectors/peoplesoft';
import type { PeopleSoftJaggaerConfig } from './config';

/**
 * GL accounts are PeopleSoft's (the system of record for the chart of accounts) and go one way: each active account
 * of the configured SETID becomes a JAGGAER account code equal to its ACCOUNT, an inactive one is deactivated there.
 * Documents coming back name JAGGAER codes; a code is a known PeopleSoft account when our account flow linked it
 * (`glAccount:<SETID>/<code>` in record_links) or when the connection's accountMap names the ACCOUNT it posts to.
 */
export type GlAccountRow = PeopleSoftRow<'glAccount'>;

export const glAccountKey = (setId: string, account: string) => recordKey('glAccount', setId, account);

/** PeopleSoft GL_ACCOUNT_TBL row -> JAGGAER account code; EFF_STATUS I (or anything but A) deactivates it. */
export function glAccountToJaggaer(row: Pick<GlAccountRow, 'ACCOUNT' | 'DESCR' | 'EFF_STATUS'>, notYetEffective = false): AccountInput {
  if (row.ACCOUNT.length > 10) throw new MappingError(`PeopleSoft GL account ${row.ACCOUNT} is longer than ACCOUNT's 10 characters`);
  return { code: row.ACCOUNT, description: (row.DESCR?.trim() || `PeopleSoft account ${row.ACCOUNT}`).slice(0, 254), active: !notYetEffective && (row.EFF_STATUS ?? 'A') === 'A' };
}

/**
 * GL_ACCOUNT_TBL is effective-dated: a window may hold several rows of one account. The one in force today wins; an
 * account whose rows all lie in the future is sent as not yet effective (inactive), so no document is coded to it early.
 */
export function currentGlAccounts(rows: GlAccountRow[], today: string): { row: GlAccountRow; notYetEffective: boolean }[] {
  const byAccount = new Map<string, GlAccountRow[]>();
  for (const row of rows) byAccount.set(`${row.SETID}/${row.ACCOUNT}`, [...(byAccount.get(`${row.SETID}/${row.ACCOUNT}`) ?? []), row]);
  return [...byAccount.values()].map((versions) => {
    const sorted = versions.sort((a, b) => (a.EFFDT ?? '').localeCompare(b.EFFDT ?? ''));
    const inForce = sorted.filter((r) => (r.EFFDT ?? '').slice(0, 10) <= today);
    return inForce.length > 0 ? { row: inForce[inForce.length - 1]!, notYetEffective: false } : { row: sorted[0]!, notYetEffective: true };
  });
}

/** The PeopleSoft ACCOUNT a JAGGAER account code posts to: the accountMap's entry, else the code itself (ours). */
export const psAccountOf = (config: PeopleSoftJaggaerConfig, code: string): string => config.accountMap[code] ?? code;

/**
 * What a JAGGAER document's lines wait for: each account code outside the accountMap must be a PeopleSoft account our
 * account flow linked. The reason names the document, the line and the code, and says what resolves it.
 */
export function accountReferences(config: PeopleSoftJaggaerConfig, document: string, lines: { lineNumber: string; accountCode?: string }[]): RecordReference[] {
  const setId = config.peoplesoft.accountSetId;
  const refs = new Map<string, RecordReference>();
  for (const line of lines) {
    const code = line.accountCode;
    if (code === undefined || code in config.accountMap || refs.has(code)) continue;
    refs.set(code, {
      key: glAccountKey(setId, code),
      sourceSystem: 'peoplesoft',
      targetSystem: 'jaggaer',
      reason: `${document} line ${line.lineNumber} is coded to JAGGAER account ${code}, which is not a PeopleSoft GL account in SETID ${setId} (none synced, none in accountMap): it waits until ${code} is added in PeopleSoft or mapped in the connection's accountMap`,
    });
  }
  return [...refs.values()];
}

/** A PeopleSoft requisition goes out coded to its ACCOUNT, which JAGGAER must have as an account code first. */
export function requisitionAccountReference(config: PeopleSoftJaggaerConfig, requisition: string, account: string | undefined): RecordReference[] {
  if (!account) return [];
  const setId = config.peoplesoft.accountSetId;
  return [{ key: glAccountKey(setId, account), sourceSystem: 'peoplesoft', targetSystem: 'jaggaer', reason: `${requisition} is charged to account ${account}, which has not reached JAGGAER as an account code yet (SETID ${setId})` }];
}
