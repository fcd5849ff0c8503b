import { adfToText } from '../../connectors/jira';
import { recordKey } from '../../pairs/peoplesoft-jira/config';
import type { LoggedRequest } from '../../simulators/kit/request-log';
import type { JiraPairScenario } from './jira-scenario';

/** Helpers of the pair's 429-storm test: documents changed in PeopleSoft, and what their issues must show after. */
export interface ChangedVoucher {
  key: string;
  amount: string;
  comment: string;
}

/** Approves `count` pending vouchers in PeopleSoft, each with a new amount and one approval comment. */
export async function approveVouchers(s: JiraPairScenario, count: number, tag: string): Promise<ChangedVoucher[]> {
  const pending = (await s.psAdmin.rows('voucher')).filter((r) => r.APPR_STATUS === 'P').slice(0, count);
  if (pending.length < count) throw new Error(`only ${pending.length} pending vouchers left for the ${tag} storm`);
  const out: ChangedVoucher[] = [];
  for (const [i, r] of pending.entries()) {
    const amount = `${1000 + i}.${String(10 + i).padStart(2, '0')}`;
    const comment = `${tag} approval ${i}`;
    await s.psAdmin.updateRow('voucher', { BUSINESS_UNIT: String(r.BUSINESS_UNIT), VOUCHER_ID: String(r.VOUCHER_ID) }, { APPR_STATUS: 'A', GROSS_AMT: amount, APPR_COMMENTS: [{ SEQ_NBR: 1, OPRID: 'APPROVER', COMMENTS: comment }] });
    out.push({ key: recordKey('voucher', String(r.BUSINESS_UNIT), String(r.VOUCHER_ID)), amount, comment });
  }
  return out;
}

/** Each changed voucher's one issue: approved, the new amount, its approval comment exactly once. */
export async function vouchersAsExpected(s: JiraPairScenario, changed: ChangedVoucher[]): Promise<string[]> {
  const issues = await s.issuesByKey();
  const wrong: string[] = [];
  for (const c of changed) {
    const list = issues.get(c.key) ?? [];
    const issue = list[0];
    const comments = (issue?.comments ?? []).map(adfToText).filter((t) => t.includes(c.comment));
    const ok = list.length === 1 && (issue!.fields.status as { name: string }).name === 'Approved' && issue!.fields[s.field('Amount')] === c.amount && comments.length === 1;
    if (!ok) wrong.push(c.key);
  }
  return wrong;
}

/** 429s in the simulator's request log, by `RateLimit-Reason`, and the share of all REST requests they are. */
export function refusals(log: LoggedRequest[]): { total: number; refused: number; byReason: Record<string, number> } {
  const byReason: Record<string, number> = {};
  for (const r of log) {
    if (r.status !== 429) continue;
    const reason = r.responseHeaders['ratelimit-reason'] ?? 'none';
    byReason[reason] = (byReason[reason] ?? 0) + 1;
  }
  return { total: log.length, refused: Object.values(byReason).reduce((a, b) => a + b, 0), byReason };
}

export function percent(part: number, whole: number): string {
  return whole === 0 ? '0.00%' : `${((100 * part) / whole).toFixed(2)}%`;
}

/**
 * Another installation of the same OAuth app spends the app's hourly points quota (Jira counts it per app, across
 * sites: https://developer.atlassian.com/cloud/jira/platform/rate-limiting/): GETs with a second grant until Jira
 * answers 429. Our connector then meets an exhausted quota with no `X-RateLimit-NearLimit` warning before it.
 */
export async function drainAppQuota(s: JiraPairScenario): Promise<number> {
  const grant = await s.jira.admin.authorizeOAuth(s.oauthClientId!);
  const headers = { authorization: `Bearer ${grant.accessToken}`, accept: 'application/json' };
  const [site] = (await (await fetch(`${s.jira.gatewayUrl}/oauth/token/accessible-resources`, { headers })).json()) as { id: string }[];
  for (let sent = 1; sent <= 5_000; sent += 1) {
    const res = await fetch(`${s.jira.gatewayUrl}/ex/jira/${site!.id}/rest/api/3/field`, { headers });
    await res.arrayBuffer();
    if (res.status === 429 && res.headers.get('ratelimit-reason') === 'jira-quota-global-based') return sent;
  }
  throw new Error('the quota never ran out');
}
