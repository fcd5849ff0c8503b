import { z } from 'zod';
import { peopleSoftAuthSchema, peopleSoftConfigSideFields } from '../../connectors/peoplesoft/endpoint';
import { procurifyAuthSchema } from '../../connectors/procurify/config';

/**
 * One Procurify -> PeopleSoft connection's configuration (`connections.config`; never secret). Secrets are the
 * credential sides `procurify` (client credentials) and `peoplesoft` (Basic or OAuth2).
 */
export const PAIR = 'procurify-peoplesoft';
export const WORKFLOW_TYPE = 'procurifyPeopleSoftSync';
export const FLOW_VENDORS = 'procurify-vendors-to-ps-vendors';
export const FLOW_PS_VENDORS = 'ps-vendors-to-procurify-vendors';
export const FLOW_REQUISITIONS = 'procurify-requisitions-to-ps-pos';
export const FLOW_VOUCHER_CLOSE = 'ps-vouchers-to-procurify-po-close';

const chartfield = (name: string, max: number) => z.string().min(1).max(max, `${name} is at most ${max} characters in PeopleSoft`);

/** Where a Procurify location lands on a PO line, with its length in PeopleSoft (PO_LINE_DISTRIB). */
export const LOCATION_CHARTFIELDS = { OPERATING_UNIT: 8, PROJECT_ID: 15 } as const;
export type LocationChartfield = keyof typeof LOCATION_CHARTFIELDS;

/**
 * How Procurify's cost dimensions land on PeopleSoft chartfields: every account code an item uses must map to an
 * ACCOUNT, every department a requisition is raised in to a DEPTID, and, when `locations` maps any, every location
 * to the chartfield `locationChartfield` names (OPERATING_UNIT by default, PeopleSoft's chartfield for a location;
 * PROJECT_ID for customers who track sites as projects). Keys are as Procurify shows them (account code `code`,
 * department and location `name`), because requisitions are keyed by names. An unmapped one is never defaulted: the
 * order dead-letters naming it, and `mlc connections test` lists every unmapped code Procurify has.
 */
export const chartfieldMappingSchema = z
  .object({
    accountCodes: z.record(z.string().min(1), chartfield('ACCOUNT', 10)),
    departments: z.record(z.string().min(1), chartfield('DEPTID', 10)),
    locations: z.record(z.string().min(1), z.string().min(1)).default({}),
    locationChartfield: z.enum(Object.keys(LOCATION_CHARTFIELDS) as [LocationChartfield, ...LocationChartfield[]]).default('OPERATING_UNIT'),
  })
  .strict()
  .superRefine((m, ctx) => {
    const max = LOCATION_CHARTFIELDS[m.locationChartfield];
    for (const [name, value] of Object.entries(m.locations)) {
      if (value.length > max) ctx.addIssue({ code: 'custom', path: ['locations', name], message: `${m.locationChartfield} is at most ${max} characters in PeopleSoft; location "${name}" maps to "${value}"` });
    }
  });
export type ChartfieldMapping = z.infer<typeof chartfieldMappingSchema>;

export const procurifyPeopleSoftConfigSchema = z
  .object({
    procurify: z
      .object({
        domain: z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i, 'the subdomain of <domain>.procurify.com').optional(),
        baseUrl: z.url().optional(),
        pageSize: z.number().int().min(1).max(100).optional(),
      })
      .strict()
      .refine((p) => p.domain || p.baseUrl, { message: 'set procurify.domain (acme for https://acme.procurify.com) or procurify.baseUrl' }),
    peoplesoft: z
      .object({
        ...peopleSoftConfigSideFields,
      })
      .strict(),
    /** PO_HDR.BUSINESS_UNIT of every PO this connection creates. */
    businessUnit: z.string().min(1).max(5),
    /** VENDOR.SETID for vendors both ways. */
    vendorSetId: z.string().min(1).max(5),
    chartfields: chartfieldMappingSchema,
    schedule: z.string().min(1).default('@every 900s'),
    initialFrom: z.iso.datetime({ offset: true }).optional(),
    /**
     * `closeOnVoucher` (off unless asked): a PeopleSoft voucher on a PO this connection posted closes the Procurify
     * POs its requisition was purchased on, for customers whose reconciliation needs it.
     */
    flows: z
      .object({ vendors: z.boolean().default(true), peoplesoftVendors: z.boolean().default(true), requisitions: z.boolean().default(true), closeOnVoucher: z.boolean().default(false) })
      .strict()
      .default({ vendors: true, peoplesoftVendors: true, requisitions: true, closeOnVoucher: false }),
  })
  .strict();
export type ProcurifyPeopleSoftConfig = z.output<typeof procurifyPeopleSoftConfigSchema>;
export type ProcurifyPeopleSoftConfigInput = z.input<typeof procurifyPeopleSoftConfigSchema>;

export const procurifyPeopleSoftCredentialsSchema = z
  .object({
    peoplesoft: peopleSoftAuthSchema,
    procurify: procurifyAuthSchema,
  })
  .loose();
