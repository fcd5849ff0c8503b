/** A time window; Procurify filters it by whole days. */
export interface DateRange {
  from?: Date;
  to?: Date;
}

const day = (d: Date): string => d.toISOString().slice(0, 10);

/**
 * `modified_date_0=2026-11-01&modified_date_1=2026-11-30`: django-filter's range pair, lower then upper bound, as the
 * list endpoints name them (procurify_openapi.yaml GET /api/v2/global/orders, GET /api/v3/order-items). The spec types
 * every one of them `format: date`, so bounds are whole UTC days, both inclusive: the window sent is the days that
 * contain [from, to], a superset of the window asked for. Records seen twice are the engine's business (unchanged
 * payloads are skipped by hash, linked records are updated, never created again).
 */
export function rangeQuery(field: string, range: DateRange | undefined): Record<string, string | undefined> {
  return { [`${field}_0`]: range?.from ? day(range.from) : undefined, [`${field}_1`]: range?.to ? day(range.to) : undefined };
}
