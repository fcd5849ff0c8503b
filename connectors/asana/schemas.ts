import { z } from 'zod';

/**
 * Asana's raw payloads as we read them (asana_oas.yaml `TaskResponse`, `CustomFieldResponse`, `NextPage`,
 * `CustomFieldSettingResponse`, `WebhookResponse`). Fields not asked for in opt_fields are absent, so most are
 * optional; `.loose()` keeps fields Asana adds later from breaking the sync.
 */
const ref = z.object({ gid: z.string(), resource_type: z.string().optional(), name: z.string().optional() }).loose();

export const rawEnumOptionSchema = z
  .object({ gid: z.string(), name: z.string().optional(), enabled: z.boolean().optional(), color: z.string().optional() })
  .loose();

export const rawCustomFieldValueSchema = z
  .object({
    gid: z.string(),
    name: z.string().optional(),
    type: z.string().optional(),
    resource_subtype: z.string().optional(),
    text_value: z.string().nullable().optional(),
    number_value: z.number().nullable().optional(),
    enum_value: rawEnumOptionSchema.nullable().optional(),
    date_value: z.object({ date: z.string().nullable().optional(), date_time: z.string().nullable().optional() }).loose().nullable().optional(),
    display_value: z.string().nullable().optional(),
    enum_options: z.array(rawEnumOptionSchema).optional(),
    enabled: z.boolean().optional(),
  })
  .loose();

export const rawTaskSchema = z
  .object({
    gid: z.string(),
    name: z.string().optional(),
    notes: z.string().optional(),
    completed: z.boolean().optional(),
    completed_at: z.string().nullable().optional(),
    assignee: ref.nullable().optional(),
    due_on: z.string().nullable().optional(),
    created_at: z.string().optional(),
    modified_at: z.string().optional(),
    memberships: z.array(z.object({ project: ref.optional() }).loose()).optional(),
    custom_fields: z.array(rawCustomFieldValueSchema).optional(),
  })
  .loose();
export type RawTask = z.infer<typeof rawTaskSchema>;

export const nextPageSchema = z.object({ offset: z.string(), path: z.string(), uri: z.string() }).loose().nullable().optional();

export const rawCustomFieldSettingSchema = z
  .object({
    gid: z.string(),
    custom_field: rawCustomFieldValueSchema,
    project: ref.optional(),
    is_important: z.boolean().optional(),
  })
  .loose();
export type RawCustomFieldSetting = z.infer<typeof rawCustomFieldSettingSchema>;

export const rawWebhookFilterSchema = z
  .object({
    resource_type: z.string().optional(),
    resource_subtype: z.string().nullable().optional(),
    action: z.string().optional(),
    fields: z.array(z.string()).nullable().optional(),
  })
  .loose();

export const rawWebhookSchema = z
  .object({
    gid: z.string(),
    active: z.boolean().optional(),
    resource: ref.optional(),
    target: z.string().optional(),
    created_at: z.string().optional(),
    last_success_at: z.string().nullable().optional(),
    last_failure_at: z.string().nullable().optional(),
    last_failure_content: z.string().nullable().optional(),
    delivery_retry_count: z.number().nullable().optional(),
    filters: z.array(rawWebhookFilterSchema).optional(),
  })
  .loose();
export type RawWebhook = z.infer<typeof rawWebhookSchema>;

export const dataEnvelope = <T extends z.ZodType>(data: T) => z.object({ data }).loose();
export const listEnvelope = <T extends z.ZodType>(item: T) => z.object({ data: z.array(item), next_page: nextPageSchema }).loose();
