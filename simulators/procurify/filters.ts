import type { Request } from 'express';
import { fieldErrors } from './errors';

const DAY_MS = 86_400_000;

/**
 * django-filter's `<field>_0` / `<field>_1` range pair. The spec types every one of these `format: date`
 * (procurify_openapi.yaml, e.g. GET /api/v2/global/orders `modified_date_0`), i.e. DateFromToRangeFilter: the lower
 * date from 00:00, the upper date through 23:59:59.999 (django-filter's DateRangeField.compress), UTC here. A value
 * that is not YYYY-MM-DD is DRF's 400 naming the filter: the two parameters are one form field (a MultiValueField
 * named after the filter, its widget adding the suffixes), so the error is keyed `modified_date`, not
 * `modified_date_0` (https://django-filter.readthedocs.io/en/stable/ref/filters.html#datefromtorangefilter).
 */
export function inRange(req: Request, field: string): (value: string | null) => boolean {
  // Express 5's req.query is a getter that parses the query string on every read: read the bounds once per request.
  const lower = parse(req, `${field}_0`, field);
  const upper = parse(req, `${field}_1`, field);
  if (lower === undefined && upper === undefined) return () => true;
  return (value) => {
    if (value === null) return false;
    const t = Date.parse(value);
    return (lower === undefined || t >= lower) && (upper === undefined || t < upper + DAY_MS);
  };
}

function parse(req: Request, name: string, field: string): number | undefined {
  const raw = req.query[name];
  if (raw === undefined || raw === '') return undefined;
  const text = String(raw);
  const t = /^\d{4}-\d{2}-\d{2}$/.test(text) ? Date.parse(`${text}T00:00:00Z`) : NaN;
  if (Number.isNaN(t)) throw fieldErrors({ [field]: ['Enter a valid date.'] });
  return t;
}

/** An integer query parameter, or undefined; anything else is a 400 naming it ("Enter a whole number."). */
export function intParam(req: Request, name: string): number | undefined {
  const raw = req.query[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n)) throw fieldErrors({ [name]: ['Enter a whole number.'] });
  return n;
}

export function boolParam(req: Request, name: string): boolean | undefined {
  const raw = req.query[name];
  if (raw === undefined || raw === '') return undefined;
  return raw === 'true' || raw === 'True' || raw === '1';
}
