/** A half-open time window [from, to) sent as Procurify's `<field>_0` / `<field>_1` range filters. */
export interface DateRange {
  from?: Date;
  to?: Date;
}

/**
 * `modified_date_0=...&modified_date_1=...`: django-filter's range pair, lower then upper bound, as the list
 * endpoints name them (procurify_openapi.yaml GET /api/v2/global/orders, GET /api/v3/order-items). ISO 8601.
 */
export function rangeQuery(field: string, range: DateRange | undefined): Record<string, string | undefined> {
  return { [`${field}_0`]: range?.from?.toISOString(), [`${field}_1`]: range?.to?.toISOString() };
}
