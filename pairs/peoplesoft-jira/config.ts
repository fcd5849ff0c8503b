import { z } from 'zod';
import { peopleSoftAuthSchema, peopleSoftConfigSideFields } from '../../connectors/peoplesoft/endpoint';
import { jiraAuthSchema } from '../../connectors/jira/auth';

/**
 * One PeopleSoft -> Jira connection's configuration (`connections.config`, never secret). PeopleSoft stays the source
 * of truth: purchase orders, requisitions and vouchers become Jira issues; nothing flows back.
 */
export const PAIR = 'peoplesoft-jira';
export const WORKFLOW_TYPE = 'peopleSoftJiraSync';

export const DOCUMENT_KINDS = ['purchaseOrder', 'requisition', 'voucher'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export const FLOW_BY_KIND: Record<DocumentKind, string> = {
  purchaseOrder: 'ps-purchase-orders-to-jira-issues',
  requisition: 'ps-requisitions-to-jira-issues',
  voucher: 'ps-vouchers-to-jira-issues',
};
/** Housekeeping (not a flow): keeps the dynamic webhook alive (Jira expires it after 30 days). */
export const HOUSEKEEPING_WEBHOOK = 'jira-webhook';
/** The issue property holding our record key and what we last wrote (the restore source after a hand edit). */
export const RECORD_PROPERTY = 'mlc.record';

/** The custom fields the mapping writes, by logical name -> the Jira field's name (ids are resolved per site). */
export const fieldNamesSchema = z
  .object({
    externalKey: z.string().min(1).default('External Key'),
    number: z.string().min(1).default('Document Number'),
    vendorName: z.string().min(1).default('Vendor Name'),
    amount: z.string().min(1).default('Amount'),
    currency: z.string().min(1).default('Currency'),
    approvalStatus: z.string().min(1).default('Approval Status'),
    vendorDetails: z.string().min(1).default('Vendor Details'),
  })
  .strict();
export type FieldNames = z.output<typeof fieldNamesSchema>;
export type LogicalField = keyof FieldNames;

/** PeopleSoft status code -> the Jira status to move the issue to, and the Approval Status option to show. */
const statusTarget = z.object({ status: z.string().min(1), approval: z.string().min(1) }).strict();
const APPROVAL_DEFAULT = {
  P: { status: 'Pending Approval', approval: 'Pending' },
  A: { status: 'Approved', approval: 'Approved' },
  D: { status: 'Denied', approval: 'Denied' },
};
/** PO_STATUS (https://pt.dbtutor.com/fscm/gm_prop_po_vw.htm): initial/open/pending approval, approved/dispatched, complete, canceled. */
const PO_DEFAULT = {
  I: { status: 'Open', approval: 'Pending' },
  O: { status: 'Open', approval: 'Pending' },
  PA: { status: 'Pending Approval', approval: 'Pending' },
  A: { status: 'Approved', approval: 'Approved' },
  D: { status: 'Approved', approval: 'Approved' },
  DA: { status: 'Approved', approval: 'Approved' },
  C: { status: 'Closed', approval: 'Closed' },
  LD: { status: 'Closed', approval: 'Closed' },
  X: { status: 'Denied', approval: 'Denied' },
  PX: { status: 'Denied', approval: 'Denied' },
};

export const peopleSoftJiraConfigSchema = z
  .object({
    peoplesoft: z
      .object({
        ...peopleSoftConfigSideFields,
      })
      .strict(),
    jira: z
      .object({
        siteUrl: z.url(),
        gatewayUrl: z.url().optional(),
        tokenUrl: z.url().optional(),
        projectKey: z.string().regex(/^[A-Z][A-Z0-9_]+$/, 'projectKey is a Jira project key such as PROC'),
      })
      .strict(),
    /** The issue type each PeopleSoft document becomes, chosen per customer. */
    issueTypes: z
      .object({ purchaseOrder: z.string().min(1).default('Purchase Order'), requisition: z.string().min(1).default('Requisition'), voucher: z.string().min(1).default('Vendor Invoice') })
      .strict()
      .default({ purchaseOrder: 'Purchase Order', requisition: 'Requisition', voucher: 'Vendor Invoice' }),
    fields: fieldNamesSchema.default(fieldNamesSchema.parse({})),
    statuses: z
      .object({ approval: z.record(z.string(), statusTarget).default(APPROVAL_DEFAULT), purchaseOrder: z.record(z.string(), statusTarget).default(PO_DEFAULT) })
      .strict()
      .default({ approval: APPROVAL_DEFAULT, purchaseOrder: PO_DEFAULT }),
    /**
     * Statuses to pass through on the way to a target the workflow cannot reach in one step (Jira transitions only
     * lead from the current status): e.g. Open -> Pending Approval -> Approved.
     */
    via: z.record(z.string(), z.array(z.string().min(1))).default({ Approved: ['Pending Approval'], Denied: ['Pending Approval'], Closed: ['Pending Approval', 'Approved'] }),
    /** A hand edit or deletion in Jira: put PeopleSoft's values back ('restore'), or only report it ('report'). */
    onHandEdit: z.enum(['restore', 'report']).default('restore'),
    /** Public base URL of our API; the Jira webhook target is `<base>/webhooks/jira/<connectionId>`. */
    webhookBaseUrl: z.url().optional(),
    schedule: z.string().min(1).default('@every 86400s'),
    initialFrom: z.iso.datetime({ offset: true }).optional(),
    flows: z
      .object({ purchaseOrders: z.boolean().default(true), requisitions: z.boolean().default(true), vouchers: z.boolean().default(true), webhookHousekeeping: z.boolean().default(true) })
      .strict()
      .default({ purchaseOrders: true, requisitions: true, vouchers: true, webhookHousekeeping: true }),
  })
  .strict();
export type PeopleSoftJiraConfig = z.output<typeof peopleSoftJiraConfigSchema>;
export type PeopleSoftJiraConfigInput = z.input<typeof peopleSoftJiraConfigSchema>;

export const peopleSoftJiraCredentialsSchema = z
  .object({
    peoplesoft: peopleSoftAuthSchema,
    jira: jiraAuthSchema,
    /** The secret set on the Jira admin webhook (X-Hub-Signature); dynamic (OAuth) deliveries are verified with the client secret. */
    jiraWebhook: z.object({ secret: z.string().min(16, 'the webhook secret must be at least 16 characters') }).strict(),
  })
  .loose();
export type PeopleSoftJiraCredentials = z.infer<typeof peopleSoftJiraCredentialsSchema>;

const DAY_MS = 86_400_000;
/** Overlap of each PeopleSoft window before the watermark (clock skew); natural keys make it safe. */
export const WINDOW_OVERLAP_MS = 5 * 60_000;

/** Where the first sync window starts: `initialFrom`, by default 30 days before the connection was created. */
export function firstSyncFrom(config: PeopleSoftJiraConfig, createdAt: Date): string {
  return config.initialFrom ?? new Date(createdAt.getTime() - 30 * DAY_MS).toISOString();
}

const KEY_PREFIX: Record<DocumentKind, string> = { purchaseOrder: 'purchase-order', requisition: 'requisition', voucher: 'voucher' };

/** Record keys: `purchase-order:US001/0000000001`, `requisition:US001/0000000012`, `voucher:US001/00012345`. */
export function recordKey(kind: DocumentKind, businessUnit: string, id: string): string {
  return `${KEY_PREFIX[kind]}:${businessUnit}/${id}`;
}
export function parseRecordKey(key: string): { kind: DocumentKind; businessUnit: string; id: string } | undefined {
  const m = /^(purchase-order|requisition|voucher):([^/]+)\/(.+)$/.exec(key);
  if (!m) return undefined;
  const kind = (Object.entries(KEY_PREFIX).find(([, p]) => p === m[1])?.[0] ?? 'voucher') as DocumentKind;
  return { kind, businessUnit: m[2]!, id: m[3]! };
}
