import { z } from 'zod';
import { seededRandom } from '../kit/faults';
import { type PsStore } from './store';
import { type Row, type TableName, tableNames } from './tables';

export const seedRequestSchema = z
  .object({
    /** Rows per table unless `counts` says otherwise (journalLine counts lines, not journals). */
    recordsPerObject: z.number().int().min(0).max(100_000).default(50),
    counts: z.partialRecord(z.enum(tableNames), z.number().int().min(0).max(100_000)).default({}),
    seed: z.number().int().default(42),
    /** LASTUPDDTTM values are spread over [from, to); defaults: the 90 days before the simulator clock. */
    from: z.iso.datetime().optional(),
    to: z.iso.datetime().optional(),
    /** Replace what is there (default) or add to it. */
    replace: z.boolean().default(true),
  })
  .strict();
export type SeedRequest = z.input<typeof seedRequestSchema>;

const DAY_MS = 86_400_000;
const BUSINESS_UNITS = ['US001', 'US002', 'CAN01'];
const DEPTS = ['10000', '21000', '31000', '42000', '55000'];
const OPER_UNITS = ['NY', 'SF', 'TOR', 'CHI'];
const NAMES = ['Acme Supply', 'Northwind Traders', 'Globex', 'Initech', 'Umbrella Facilities', 'Stark Industrial', 'Wayne Paper', 'Hooli Cloud'];
const PEOPLE = ['Ada Lovelace', 'Grace Hopper', 'Alan Turing', 'Edsger Dijkstra', 'Barbara Liskov', 'Donald Knuth'];
const PO_STATUSES = ['I', 'PA', 'A', 'D', 'C'];
const APPR = ['P', 'P', 'A', 'D'];

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * Deterministic demo and test data: the same request always yields the same rows, so a failing test or a benchmark
 * run can be repeated exactly.
 */
export function seedStore(store: PsStore, nowMs: number, input: unknown): Record<TableName, number> {
  const req = seedRequestSchema.parse(input ?? {});
  const random = seededRandom(req.seed);
  const to = req.to ? Date.parse(req.to) : nowMs;
  const from = req.from ? Date.parse(req.from) : to - 90 * DAY_MS;
  if (!(from < to)) throw new Error('seed: from must be before to');
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const stamp = () => new Date(from + Math.floor(random() * (to - from))).toISOString();
  const amount = (max: number) => Math.round(random() * max * 100) / 100;
  const count = (t: TableName) => req.counts[t] ?? req.recordsPerObject;
  if (req.replace) store.clear();

  const vendorIds: string[] = [];
  for (let i = 1; i <= count('vendor'); i++) {
    const id = pad(i, 10);
    vendorIds.push(id);
    store.insert('vendor', { SETID: 'SHARE', VENDOR_ID: id, NAME1: `${pick(NAMES)} ${i}`, VENDOR_STATUS: pick(['A', 'A', 'A', 'I', 'E']), VENDOR_CLASS: 'R' }, stamp());
  }
  const vendor = () => (vendorIds.length > 0 ? pick(vendorIds) : '0000000001');

  for (let i = 1; i <= count('glAccount'); i++) {
    store.insert('glAccount', { SETID: 'SHARE', ACCOUNT: String(600000 + i * 10), DESCR: `Expense account ${i}`, ACCOUNT_TYPE: 'E', EFF_STATUS: 'A', EFFDT: '2020-01-01' }, stamp());
  }

  const emplIds: string[] = [];
  for (let i = 1; i <= count('employee'); i++) {
    const id = `KU${pad(i, 4)}`;
    emplIds.push(id);
    // OPRID: the operator id PSOPRDEFN links to the employee (PSOPRDEFN.EMPLID), which the inquiry joins in: documents
    // name approvers by OPRID, the roster reaches their email through it.
    store.insert('employee', { EMPLID: id, OPRID: `OPR${pad(i, 4)}`, NAME: `${pick(PEOPLE)} ${i}`, EMAILID: `${id.toLowerCase()}@example.com`, DEPTID: pick(DEPTS), EMPL_STATUS: 'A' }, stamp());
  }

  const reqIds: string[] = [];
  for (let i = 1; i <= count('requisition'); i++) {
    const id = pad(i, 10);
    reqIds.push(id);
    const dt = stamp();
    store.insert('requisition', {
      BUSINESS_UNIT: pick(BUSINESS_UNITS), REQ_ID: id, REQ_NAME: `Requisition ${i}`, REQ_DT: dt.slice(0, 10),
      REQUESTOR_ID: emplIds.length > 0 ? pick(emplIds) : 'KU0001', APPR_STATUS: pick(APPR), TXN_CURRENCY_CD: 'USD', MERCHANDISE_AMT: amount(20_000),
    }, dt);
  }

  for (let i = 1; i <= count('purchaseOrder'); i++) {
    const dt = stamp();
    store.insert('purchaseOrder', {
      BUSINESS_UNIT: pick(BUSINESS_UNITS), PO_ID: pad(i, 10), PO_DT: dt.slice(0, 10), VENDOR_SETID: 'SHARE', VENDOR_ID: vendor(),
      PO_STATUS: pick(PO_STATUSES), REQ_ID: reqIds.length > 0 ? pick(reqIds) : '', BUYER_ID: 'BUYER1', TXN_CURRENCY_CD: 'USD', PO_LINE: [],
    }, dt);
  }

  for (let i = 1; i <= count('voucher'); i++) {
    const dt = stamp();
    const invoiceMs = Date.parse(dt) - Math.floor(random() * 10) * DAY_MS;
    store.insert('voucher', {
      BUSINESS_UNIT: pick(BUSINESS_UNITS), VOUCHER_ID: pad(i, 8), INVOICE_ID: `INV-${pad(i, 6)}`, INVOICE_DT: isoDate(invoiceMs),
      DUE_DT: isoDate(invoiceMs + 30 * DAY_MS), VENDOR_SETID: 'SHARE', VENDOR_ID: vendor(), GROSS_AMT: amount(50_000), TXN_CURRENCY_CD: 'USD',
      APPR_STATUS: pick(APPR), ENTRY_STATUS: 'P', VOUCHER_STYLE: 'REG',
    }, dt);
  }

  let journal = 0;
  for (let written = 0; written < count('journalLine'); ) {
    journal += 1;
    const dt = stamp();
    const lines = 2 + Math.floor(random() * 3);
    const bu = pick(BUSINESS_UNITS);
    for (let line = 1; line <= lines && written < count('journalLine'); line++, written++) {
      const row: Row = {
        BUSINESS_UNIT: bu, JOURNAL_ID: `MLC${pad(journal, 7)}`, JOURNAL_DATE: dt.slice(0, 10), UNPOST_SEQ: 0, JOURNAL_LINE: line,
        LEDGER: 'ACTUALS', ACCOUNT: String(600000 + (1 + Math.floor(random() * 20)) * 10), DEPTID: pick(DEPTS), OPERATING_UNIT: pick(OPER_UNITS),
        PROJECT_ID: random() < 0.5 ? `PRJ${pad(1 + Math.floor(random() * 30), 5)}` : '', MONETARY_AMOUNT: amount(9_000), TXN_CURRENCY_CD: 'USD', LINE_DESCR: `Cost line ${line}`,
      };
      store.insert('journalLine', row, dt);
    }
  }

  return Object.fromEntries(tableNames.map((t) => [t, store.count(t)])) as Record<TableName, number>;
}
