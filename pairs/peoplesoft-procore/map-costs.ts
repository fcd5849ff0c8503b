import { createHash } from 'node:crypto';
import { MappingError } from '../../activities/flows/types';
import type { JournalInput } from '../../connectors/peoplesoft';
import type { ProcoreChangeOrder, ProcoreDirectCost } from '../../connectors/procore';
import type { PeopleSoftProcoreConfig } from './config';
import { normalizeAmount, toPeopleSoftAmount } from './money';

/** Record keys of Procore costs: `direct-cost:<project>/<id>`, `change-order:<project>/<id>`. */
export const directCostKey = (projectId: string, id: string) => `direct-cost:${projectId}/${id}`;
export const changeOrderKey = (projectId: string, id: string) => `change-order:${projectId}/${id}`;

/**
 * JOURNAL_ID is Char10 and Procore ids are up to 20 digits: the journal of a cost is `D` (direct cost) or `C` (change
 * order) and 9 base-36 characters of a SHA-256 of the company, project and id. Fixed per cost, so a retried Create -
 * after a crash, a duplicate webhook, or the poll finding a cost a webhook already posted - is a duplicate PeopleSoft
 * recognises as already applied; a hash collision (about 1 in 10^14 per pair) is refused by PeopleSoft as a different
 * journal under the same key and lands in dead letters, never overwrites.
 */
export function journalIdOf(kind: 'D' | 'C', companyId: string, projectId: string, id: string): string {
  const digest = BigInt(`0x${createHash('sha256').update(`${companyId}/${projectId}/${id}`).digest('hex').slice(0, 16)}`);
  return `${kind}${(digest % 36n ** 9n).toString(36).toUpperCase().padStart(9, '0')}`;
}

function chartfields(config: PeopleSoftProcoreConfig, projectId: string, what: string) {
  const project = config.projects[projectId];
  if (!project) throw new MappingError(`${what}: Procore project ${projectId} is not in this connection's projects (add it with its PROJECT_ID and DEPTID)`);
  return { businessUnit: project.businessUnit ?? config.peoplesoft.businessUnit, PROJECT_ID: project.projectId, DEPTID: project.deptId };
}

const ymd = (s: string | null | undefined, fallback: string) => (s && /^\d{4}-\d{2}-\d{2}/.test(s) ? s.slice(0, 10) : fallback.slice(0, 10));

/**
 * A Procore direct cost -> one PeopleSoft journal, one JRNL_LN per line item: ACCOUNT is the line's cost code (the
 * cost codes are the GL accounts), DEPTID and PROJECT_ID the project's, the amount the line's decimal text.
 */
export function directCostToJournal(dc: ProcoreDirectCost, projectId: string, companyId: string, config: PeopleSoftProcoreConfig): JournalInput {
  const what = `Procore direct cost ${dc.id}`;
  const cf = chartfields(config, projectId, what);
  if (dc.line_items.length === 0) throw new MappingError(`${what} has no line items: nothing to post`);
  return {
    BUSINESS_UNIT: cf.businessUnit,
    JOURNAL_ID: journalIdOf('D', companyId, projectId, dc.id),
    JOURNAL_DATE: ymd(dc.direct_cost_date, dc.updated_at),
    LEDGER: config.peoplesoft.ledger,
    JRNL_LN: dc.line_items.map((l, i) => {
      const account = l.cost_code?.code ?? l.cost_code?.full_code;
      if (!account) throw new MappingError(`${what} line ${i + 1} has no cost code: PeopleSoft needs an ACCOUNT`);
      if (account.length > 10) throw new MappingError(`${what} line ${i + 1} cost code ${account} is longer than PeopleSoft's ACCOUNT (10 characters)`);
      return { JOURNAL_LINE: i + 1, ACCOUNT: account, DEPTID: cf.DEPTID, PROJECT_ID: cf.PROJECT_ID, MONETARY_AMOUNT: toPeopleSoftAmount(normalizeAmount(l.amount, `${what} line ${i + 1}`), `${what} line ${i + 1}`), TXN_CURRENCY_CD: 'USD', LINE_DESCR: (l.description ?? `Procore DC ${dc.id}`).slice(0, 30) };
    }),
  };
}

/**
 * A commitment change order -> one journal line per line item, on the line's cost code (the cost codes are the GL
 * accounts), `changeOrderAccount` only for a line without a cost code; a change order without line items posts its
 * grand total on `changeOrderAccount`. The project's chartfields on every line.
 */
export function changeOrderToJournal(co: ProcoreChangeOrder, projectId: string, companyId: string, config: PeopleSoftProcoreConfig): JournalInput {
  const what = `Procore change order ${co.id}`;
  const cf = chartfields(config, projectId, what);
  const descr = (co.title ?? `Procore CO ${co.id}`).slice(0, 30);
  const line = (n: number, account: string, amount: string, field: string, text: string) => ({ JOURNAL_LINE: n, ACCOUNT: account, DEPTID: cf.DEPTID, PROJECT_ID: cf.PROJECT_ID, MONETARY_AMOUNT: toPeopleSoftAmount(amount, `${what} ${field}`), TXN_CURRENCY_CD: 'USD', LINE_DESCR: text });
  let lines;
  if (co.line_items.length > 0) {
    lines = co.line_items.map((l, i) => {
      const account = l.cost_code?.code ?? l.cost_code?.full_code ?? config.changeOrderAccount;
      if (account.length > 10) throw new MappingError(`${what} line ${i + 1} cost code ${account} is longer than PeopleSoft's ACCOUNT (10 characters)`);
      return line(i + 1, account, l.amount, `line ${i + 1} amount`, (l.description ?? descr).slice(0, 30));
    });
  } else {
    if (co.grand_total === undefined || co.grand_total === null) throw new MappingError(`${what} has no line items and no grand_total`);
    lines = [line(1, config.changeOrderAccount, co.grand_total, 'grand_total', descr)];
  }
  return {
    BUSINESS_UNIT: cf.businessUnit,
    JOURNAL_ID: journalIdOf('C', companyId, projectId, co.id),
    JOURNAL_DATE: co.updated_at.slice(0, 10),
    LEDGER: config.peoplesoft.ledger,
    JRNL_LN: lines,
  };
}
