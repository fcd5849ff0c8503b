import { z } from 'zod';
import { type ConflictRule } from '../types';
import { procoreAuthSchema, procoreEndpointSchema, procoreIdSchema } from '../../connectors/procore';
import { peopleSoftAuthSchema, peopleSoftConfigSideFields } from '../../connectors/peoplesoft/endpoint';

/**
 * One PeopleSoft <-> Procore connection's configuration (`connections.config`: never secret, shown in API responses).
 * Secrets live in connection_credentials: sides `peoplesoft`, `procore` (the DMSA) and `procoreWebhook` (the
 * Authorization header Procore sends with every delivery, generated per connection when not given).
 */
export const PAIR = 'peoplesoft-procore';
export const WORKFLOW_TYPE = 'peopleSoftProcoreSync';

export const FLOW_VENDORS = 'ps-vendors-to-procore';
export const FLOW_COST_CODES = 'ps-gl-accounts-to-procore-cost-codes';
export const FLOW_PS_POS = 'ps-pos-to-procore-commitments';
export const FLOW_PROCORE_POS = 'procore-commitments-to-ps-pos';
export const FLOW_DIRECT_COSTS = 'procore-direct-costs-to-ps-journals';
export const FLOW_CHANGE_ORDERS = 'procore-change-orders-to-ps-journals';
export const FLOW_PROJECT_VOUCHERS = 'ps-project-vouchers-to-procore-direct-costs';
export const FLOW_REQUISITIONS = 'procore-requisitions-to-ps-vouchers';

/** The ERP owns purchase orders' money: when both sides changed a PO since the last sync, PeopleSoft's values win. */
export const PEOPLESOFT_WINS_OUT: ConflictRule = 'source-wins';
export const PEOPLESOFT_WINS_BACK: ConflictRule = 'target-wins';

const chartfield = z.string().min(1).max(10);

/** How one Procore project (a job site) posts in PeopleSoft: its PROJECT_ID and DEPTID chartfields. */
const projectSchema = z.object({ projectId: z.string().min(1).max(15), deptId: chartfield, businessUnit: z.string().min(1).max(5).optional() }).strict();

export const peopleSoftProcoreConfigSchema = z
  .object({
    peoplesoft: z
      .object({
        ...peopleSoftConfigSideFields,
        vendorSetId: z.string().min(1).max(5).default('SHARE'),
        /** The business unit POs and journals land in (a project may name its own). */
        businessUnit: z.string().min(1).max(5).default('US001'),
        ledger: z.string().min(1).max(10).default('ACTUALS'),
      })
      .strict(),
    procore: procoreEndpointSchema,
    /** The Procore projects this connection syncs, by Procore project id (a digit string: ids are 64-bit). */
    projects: z.record(procoreIdSchema, projectSchema).refine((p) => Object.keys(p).length > 0, 'name at least one Procore project'),
    /** Where a PeopleSoft PO whose lines name no mapped PROJECT_ID becomes a commitment. */
    defaultProjectId: procoreIdSchema,
    /** The ACCOUNT of a change order line without a cost code (lines with one post to it), and of a change order without lines. */
    changeOrderAccount: chartfield.default('640000'),
    /** Procore webhooks (commitments, requisitions, direct costs, change orders) in front of polling; polling still catches what they miss. */
    webhooks: z
      .object({
        /** Our API's public base URL: deliveries go to `<baseUrl>/webhooks/procore/<connectionId>`. */
        baseUrl: z.url().optional(),
        apiVersion: z.enum(['v2', 'v3', 'v4']).default('v4'),
      })
      .strict()
      .default({ apiVersion: 'v4' }),
    schedule: z.string().min(1).default('@every 900s'),
    initialFrom: z.iso.datetime({ offset: true }).optional(),
    flows: z
      .object({
        vendors: z.boolean().default(true),
        costCodes: z.boolean().default(true),
        purchaseOrders: z.boolean().default(true),
        procorePurchaseOrders: z.boolean().default(true),
        directCosts: z.boolean().default(true),
        changeOrders: z.boolean().default(true),
        projectVouchers: z.boolean().default(true),
        requisitions: z.boolean().default(true),
      })
      .strict()
      .default({ vendors: true, costCodes: true, purchaseOrders: true, procorePurchaseOrders: true, directCosts: true, changeOrders: true, projectVouchers: true, requisitions: true }),
  })
  .strict()
  .refine((c) => c.projects[c.defaultProjectId] !== undefined, { message: 'defaultProjectId must be one of the configured projects', path: ['defaultProjectId'] });
export type PeopleSoftProcoreConfig = z.output<typeof peopleSoftProcoreConfigSchema>;
export type PeopleSoftProcoreConfigInput = z.input<typeof peopleSoftProcoreConfigSchema>;

export const procoreWebhookSecretSchema = z.object({ authorization: z.string().min(32, 'the webhook Authorization value must be at least 32 characters') }).strict();

export const peopleSoftProcoreCredentialsSchema = z
  .object({
    peoplesoft: peopleSoftAuthSchema,
    procore: procoreAuthSchema,
    procoreWebhook: procoreWebhookSecretSchema.optional(),
  })
  .loose();
