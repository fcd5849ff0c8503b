import { z } from 'zod';
import { decimalSchema } from '../../core/decimal';

/**
 * Procore payloads as we read them (https://developers.procore.com/reference/rest): only the fields the pair uses,
 * everything else passed through. Ids arrive as JSON numbers (v1/v2 payloads; exact thanks to big-json.ts) or strings
 * (webhooks v4) and are kept as digit strings. Money is a decimal string in Procore's answers; a number is read as its
 * exact text, never through arithmetic.
 */
export const idSchema = z.union([z.string().regex(/^\d+$/), z.number().int().nonnegative()]).transform((v) => String(v));
export const moneySchema = decimalSchema;
const ts = z.string();
const originId = z.string().nullish();

export const vendorSchema = z.looseObject({ id: idSchema, name: z.string(), is_active: z.boolean().nullish(), origin_id: originId, origin_data: z.string().nullish(), updated_at: ts });
export type ProcoreVendor = z.output<typeof vendorSchema>;

export const costCodeSchema = z.looseObject({ id: idSchema, code: z.string(), name: z.string().nullish(), full_code: z.string().nullish(), origin_id: originId });
export type ProcoreCostCode = z.output<typeof costCodeSchema>;

const lineItemSchema = z.looseObject({
  id: idSchema.optional(),
  description: z.string().nullish(),
  amount: moneySchema,
  quantity: moneySchema.nullish(),
  unit_cost: moneySchema.nullish(),
  cost_code_id: idSchema.nullish(),
  cost_code: z.looseObject({ id: idSchema, code: z.string().optional(), full_code: z.string().nullish() }).nullish(),
});
export type ProcoreLineItem = z.output<typeof lineItemSchema>;

/** Purchase order contract (a commitment), v1.0, with its line items. */
export const commitmentSchema = z.looseObject({
  id: idSchema,
  number: z.string().nullish(),
  title: z.string().nullish(),
  status: z.string().nullish(),
  project: z.looseObject({ id: idSchema }).optional(),
  project_id: idSchema.optional(),
  vendor: z.looseObject({ id: idSchema }).nullish(),
  origin_id: originId,
  origin_data: z.string().nullish(),
  grand_total: moneySchema.nullish(),
  line_items: z.array(lineItemSchema).default([]),
  created_at: ts.optional(),
  updated_at: ts,
});
export type ProcoreCommitment = z.output<typeof commitmentSchema>;

/** Direct cost (v1.1) with its line items. */
export const directCostSchema = z.looseObject({
  id: idSchema,
  project_id: idSchema.optional(),
  description: z.string().nullish(),
  direct_cost_type: z.string().nullish(),
  status: z.string().nullish(),
  direct_cost_date: z.string().nullish(),
  invoice_number: z.string().nullish(),
  origin_id: originId,
  line_items: z.array(lineItemSchema).default([]),
  updated_at: ts,
});
export type ProcoreDirectCost = z.output<typeof directCostSchema>;

/** Commitment change order (v1.0). */
export const changeOrderSchema = z.looseObject({
  id: idSchema,
  number: z.string().nullish(),
  title: z.string().nullish(),
  status: z.string().nullish(),
  contract_id: idSchema.nullish(),
  grand_total: moneySchema.nullish(),
  line_items: z.array(lineItemSchema).default([]),
  origin_id: originId,
  updated_at: ts,
});
export type ProcoreChangeOrder = z.output<typeof changeOrderSchema>;

/** Sync action answer: always HTTP 200 (https://developers.procore.com/documentation/using-sync-actions). */
export const syncAnswerSchema = z.object({ entities: z.array(z.record(z.string(), z.unknown())), errors: z.array(z.record(z.string(), z.unknown())) }).loose();

export const hookSchema = z.looseObject({ id: idSchema, namespace: z.string(), destination_url: z.string(), api_version: z.string().nullish() });
export const triggerSchema = z.looseObject({ id: idSchema, resource_name: z.string(), event_type: z.string() });
export const deliverySchema = z.looseObject({ id: idSchema.optional(), outcome: z.string().nullish(), response_status: z.number().nullish(), response_error: z.string().nullish(), started_at: z.string().nullish() });
