import type { Request } from 'express';
import { fieldErrors } from './errors';

/**
 * django-filter's `<field>_0` / `<field>_1` range pair (DateTimeFromToRangeFilter, as the spec's parameter names
 * show): lower bound inclusive, upper bound inclusive. A value that is not a date is a 400 naming the parameter.
 */
export function inRange(req: Request, field: string, value: string | null): boolean {
  const lower = parse(req, `${field}_0`);
  const upper = parse(req, `${field}_1`);
  if (lower === undefined && upper === undefined) return true;
  if (value === null) return false;
  const t = Date.parse(value);
  return (lower === undefined || t >= lower) && (upper === undefined || t <= upper);
}

function parse(req: Request, name: string): number | undefined {
  const raw = req.query[name];
  if (raw === undefined || raw === '') return undefined;
  const t = Date.parse(String(raw));
  if (Number.isNaN(t)) throw fieldErrors({ [name]: ['Enter a valid date/time.'] });
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
