import { z } from 'zod';
import { peopleSoftAuthSchema, peopleSoftConfigSideFields } from '../../connectors/peoplesoft/endpoint';
import { jaggaerAuthSchema } from '../../connectors/jaggaer/config';
import { providerOverrideSchema } from '../../connectors/jaggaer/provider-schema';

/**
 * One PeopleSoft <-> JAGGAER connection's configuration (`connections.config`: never secret, shown in API
 * responses). Secrets live in connection_credentials, sides `peoplesoft` and `jaggaer`.
 */
export const PAIR = 'peoplesoft-jaggaer';
export const WORKFLOW_TYPE = 'peopleSoftJaggaerSync';

export const FLOW_GL_ACCOUNTS = 'ps-gl-accounts-to-jaggaer';
export const FLOW_PS_VENDORS = 'ps-vendors-to-jaggaer-suppliers';
export const FLOW_JAGGAER_SUPPLIERS = 'jaggaer-suppliers-to-ps-vendors';
export const FLOW_REQUISITIONS = 'ps-requisitions-to-jaggaer';
export const FLOW_PURCHASE_ORDERS = 'jaggaer-pos-to-ps-pos';
export const FLOW_INVOICES = 'jaggaer-invoices-to-ps-vouchers';

export const peopleSoftJaggaerConfigSchema = z
  .object({
    peoplesoft: z
      .object({
        ...peopleSoftConfigSideFields,
        /** The vendor SETID POs and vouchers name (VENDOR_SETID) and new vendors are created in. */
        vendorSetId: z.string().min(1).max(5).default('SHARE'),
        /** The business unit a JAGGAER document lands in when it names none. */
        defaultBusinessUnit: z.string().min(1).max(5).default('US001'),
        /** The GL_ACCOUNT_TBL SETID whose accounts become JAGGAER account codes (the chart documents are coded to). */
        accountSetId: z.string().min(1).max(5).default('SHARE'),
      })
      .strict(),
    jaggaer: z
      .object({
        /** The customer's JAGGAER instance, e.g. https://prep-reg02.api.jaggaer.com. */
        instanceUrl: z.url(),
        tokenUrl: z.url().optional(),
        /** This customer's JAGGAER variant: paths, list keys, field names (see connectors/jaggaer/provider.ts). */
        provider: providerOverrideSchema.optional(),
      })
      .strict(),
    /**
     * JAGGAER account codes that are not PeopleSoft accounts (keyed in JAGGAER by hand, or renamed there), each to the
     * PeopleSoft ACCOUNT its lines post to: `{ "<jaggaer code>": "<PS ACCOUNT>" }`. Codes we created from PeopleSoft
     * need no entry; a line coded to neither waits, named in status, until the account exists in PeopleSoft or here.
     */
    accountMap: z.record(z.string().min(1, 'an accountMap key is a JAGGAER account code'), z.string().min(1).max(10, 'a PeopleSoft ACCOUNT has at most 10 characters')).default({}),
    /** Both systems are pull-only: polled on this schedule (typically daily), and on demand (`mlc connections sync`). */
    schedule: z.string().min(1).default('@every 86400s'),
    /** Where the first sync starts (ISO); defaults to 30 days before the connection's creation. */
    initialFrom: z.iso.datetime({ offset: true }).optional(),
    flows: z
      .object({
        glAccounts: z.boolean().default(true),
        psVendors: z.boolean().default(true),
        jaggaerSuppliers: z.boolean().default(true),
        requisitions: z.boolean().default(true),
        purchaseOrders: z.boolean().default(true),
        invoices: z.boolean().default(true),
      })
      .strict()
      .default({ glAccounts: true, psVendors: true, jaggaerSuppliers: true, requisitions: true, purchaseOrders: true, invoices: true }),
  })
  .strict();
export type PeopleSoftJaggaerConfig = z.output<typeof peopleSoftJaggaerConfigSchema>;
export type PeopleSoftJaggaerConfigInput = z.input<typeof peopleSoftJaggaerConfigSchema>;

export const peopleSoftJaggaerCredentialsSchema = z
  .object({
    peoplesoft: peopleSoftAuthSchema,
    /** The JAGGAER integration client (client credentials at the instance's J1p-integrations realm). */
    jaggaer: jaggaerAuthSchema,
  })
  .loose();
