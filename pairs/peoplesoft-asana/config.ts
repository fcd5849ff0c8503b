import { z } from 'zod';
import { peopleSoftAuthSchema, peopleSoftConfigSideFields } from '../../connectors/peoplesoft/endpoint';
import { asanaAuthSchema } from '../../connectors/asana/auth';
import { scheduleSpecSchema } from '../../core/schedule-bounds';

/**
 * One PeopleSoft <-> Asana connection's configuration (the `connections.config` column), parsed at every edge that
 * reads it. Secrets live elsewhere (connection_credentials, sides `peoplesoft` and `asana`): this object may be
 * shown in API responses and logs.
 */
export const PAIR = 'peoplesoft-asana';
export const WORKFLOW_TYPE = 'peopleSoftAsanaSync';

/** The PeopleSoft documents this pair asks approvals for; their record keys are connectors/peoplesoft's. */
export const DOCUMENT_KINDS = ['voucher', 'requisition'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export const FLOW_VOUCHERS = 'ps-vouchers-to-asana-tasks';
export const FLOW_REQUISITIONS = 'ps-requisitions-to-asana-tasks';
/** Asana delivers webhooks at most once: this flow re-reads recently modified tasks so a lost delivery is caught up. */
export const FLOW_TASK_FALLBACK = 'asana-tasks-to-ps-approvals';
/** PeopleSoft employees -> the connection's roster (employee -> Asana user of the workspace, by email). */
export const FLOW_EMPLOYEES = 'ps-employees-to-roster';
/** The roster -> one task per employee in the customer's roster project (the roster reference in Asana). */
export const FLOW_ROSTER_PROJECT = 'roster-to-asana-project';
/** Housekeeping: re-matches the roster against the workspace's users (an Asana account created, renamed or removed). */
export const HOUSEKEEPING_ROSTER = 'asana-roster-rematch';
/** Housekeeping (not a flow): checks the Asana webhook and re-registers it when Asana deleted it (24 h of failed deliveries). */
export const HOUSEKEEPING_WEBHOOK = 'asana-webhook';
/** Housekeeping: refreshes an Asana OAuth access token before its hour is up. */
export const HOUSEKEEPING_TOKEN = 'asana-token-refresh';

const gid = z.string().regex(/^\d+$/, 'an Asana GID (numeric string)');

const fieldEntry = <T extends 'text' | 'number' | 'enum' | 'date'>(type: T) => z.object({ fieldGid: gid, type: z.literal(type) }).strict();

/** Status enum: PeopleSoft APPR_STATUS (P pending, A approved, D denied) -> Asana enum option GID. */
const statusEntry = z
  .object({
    fieldGid: gid,
    type: z.literal('enum'),
    enumOptions: z.object({ P: gid, A: gid, D: gid }).strict(),
  })
  .strict();

export const peopleSoftAsanaFieldsSchema = z
  .object({
    invoiceId: fieldEntry('text'),
    requisitionId: fieldEntry('text'),
    businessUnit: fieldEntry('text'),
    vendorOrRequester: fieldEntry('text'),
    amount: fieldEntry('number'),
    dueDate: fieldEntry('date'),
    /** Also the decision: a task completed while this field says D (Denied) denies the document in PeopleSoft. */
    status: statusEntry,
    /** Text field holding our record key (`voucher:US001/00012345`): how a lost create is found, and how a task is traced back. */
    externalKey: fieldEntry('text'),
  })
  .strict();
export type PeopleSoftAsanaFields = z.infer<typeof peopleSoftAsanaFieldsSchema>;


export const peopleSoftAsanaConfigSchema = z
  .object({
    /** The non-secret part of the PeopleSoft endpoint; `auth` comes from the `peoplesoft` credentials side. */
    peoplesoft: z
      .object({
        ...peopleSoftConfigSideFields,
      })
      .strict(),
    asana: z
      .object({
        baseUrl: z.url().optional(),
        /** OAuth token endpoint; defaults to `-/oauth_token` beside baseUrl's /api/1.0 (https://app.asana.com/-/oauth_token). */
        tokenUrl: z.url().optional(),
        workspaceGid: gid,
        projectGid: gid,
      })
      .strict(),
    fields: peopleSoftAsanaFieldsSchema,
    /** PeopleSoft approver (OPRID) -> Asana user GID; the reverse lookup names the approver written back to PeopleSoft. */
    approvers: z.record(z.string().min(1), gid).default({}),
    /** Who approves a business unit's documents when the row names no approver (BUSINESS_UNIT -> OPRID). */
    businessUnitApprovers: z.record(z.string().min(1), z.string().min(1)).default({}),
    /**
     * With the roster on (`flows.roster`): who gets a business unit's pending document when its approver cannot be
     * assigned (no Asana account, left the company, not in the roster) (BUSINESS_UNIT -> Asana user GID). Without
     * one, the document waits with the reason in status; it is never left unassigned.
     */
    fallbackApprovers: z.record(z.string().min(1), gid).default({}),
    /**
     * The roster reference in Asana (`flows.rosterProject`): a project of the workspace where each employee is one
     * task, assigned to their Asana user, completed once they left.
     */
    rosterProjectGid: gid.optional(),
    /** Public base URL of our API, e.g. https://mlc.example.com; the Asana webhook target is `<base>/webhooks/asana/<connectionId>`. */
    webhookBaseUrl: z.url().optional(),
    /** `"0 * * * *"` (UTC), `"@every 300s"`, or `{ cron: "0 6 * * MON-FRI", timeZone: "America/Chicago" }`. */
    schedule: scheduleSpecSchema.default('@every 300s'),
    /** Where the first sync starts (ISO); defaults to 30 days before the connection's creation. */
    initialFrom: z.iso.datetime({ offset: true }).optional(),
    flows: z
      .object({
        vouchers: z.boolean().default(true),
        requisitions: z.boolean().default(true),
        taskFallback: z.boolean().default(true),
        webhookHousekeeping: z.boolean().default(true),
        /**
         * Employees -> roster, and approval tasks assigned through it (OPRID -> EMPLID -> email -> Asana user), the
         * `approvers` map staying as an override. Off: tasks are assigned from the `approvers` map alone.
         */
        roster: z.boolean().default(false),
        /** Writes the roster to `rosterProjectGid` (needs `roster`). */
        rosterProject: z.boolean().default(false),
      })
      .strict()
      .default({ vouchers: true, requisitions: true, taskFallback: true, webhookHousekeeping: true, roster: false, rosterProject: false }),
  })
  .strict();
export type PeopleSoftAsanaConfig = z.output<typeof peopleSoftAsanaConfigSchema>;
export type PeopleSoftAsanaConfigInput = z.input<typeof peopleSoftAsanaConfigSchema>;

/** The secret sides, as stored by putCredentials(connectionId, side, ...). */
export const peopleSoftAsanaCredentialsSchema = z
  .object({
    peoplesoft: peopleSoftAuthSchema,
    /** A personal access token (`{ method: 'pat', token }`) or our OAuth app's grant. */
    asana: asanaAuthSchema,
  })
  .loose();
export type PeopleSoftAsanaCredentials = z.infer<typeof peopleSoftAsanaCredentialsSchema>;
