import { Router, type Request } from 'express';
import { z } from 'zod';
import type { SimClock } from '../kit/clock';
import { notFound, ProcurifyHttpError } from './errors';
import { boolParam, intParam } from './filters';
import { paginate } from './pagination';
import { serializeVendor } from './serialize';
import type { ProcurifyStore, VendorRec } from './store';

const nullableText = (max: number) => z.string().max(max).nullable().optional();
/** OptimizedVendorRequest (procurify_openapi.yaml), keys in Procurify's mixed case. */
const vendorFields = {
  name: z.string().min(1).max(150),
  active: z.boolean().optional(),
  addressLineOne: nullableText(300),
  addressLineTwo: nullableText(300),
  postalCode: nullableText(20),
  city: nullableText(50),
  state_province: nullableText(40),
  country: nullableText(80),
  phoneOne: nullableText(20),
  email: z.array(z.string().email()),
  external_id: nullableText(100),
  type: z.union([z.literal(2), z.literal(3), z.literal(4), z.literal(6), z.literal(7)]),
  overall_score: z.string().regex(/^\d{0,2}(?:\.\d{0,3})?$/).nullable(),
};
const createSchema = z.object(vendorFields).loose();
const patchSchema = z.object(vendorFields).partial().loose();

/**
 * DRF's field error answer, one entry per field with DRF's default texts (rest_framework/fields.py
 * `default_error_messages`, https://www.django-rest-framework.org/api-guide/fields/): "This field is required.",
 * "This field may not be blank.", "Ensure this field has no more than N characters.", "\"5\" is not a valid
 * choice.", "A valid number is required.", and for a list field the failing item's index:
 * `{"email": {"0": ["Enter a valid email address."]}}`.
 */
type DrfErrors = Record<string, string[] | Record<string, string[]>>;

/** The Python type name DRF puts in "Expected a list of items but got type ...". */
const pythonType = (v: unknown): string => (typeof v === 'string' ? 'str' : typeof v === 'boolean' ? 'bool' : typeof v === 'number' ? (Number.isInteger(v) ? 'int' : 'float') : 'dict');

function drfMessage(issue: z.core.$ZodIssue, value: unknown, field: string): string {
  if (value === undefined) return 'This field is required.';
  if (value === null) return 'This field may not be null.';
  if (issue.code === 'too_small' && value === '') return 'This field may not be blank.';
  if (issue.code === 'too_big' && typeof value === 'string') return `Ensure this field has no more than ${String(issue.maximum)} characters.`;
  if (issue.code === 'invalid_format' && issue.format === 'email') return 'Enter a valid email address.';
  if (field === 'type') return `"${String(value)}" is not a valid choice.`;
  if (field === 'overall_score') return 'A valid number is required.';
  if (field === 'email' && !Array.isArray(value)) return `Expected a list of items but got type "${pythonType(value)}".`;
  if (issue.code === 'invalid_type' && issue.expected === 'boolean') return 'Must be a valid boolean.';
  return 'Not a valid string.';
}

function parseOr400<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const input = (body ?? {}) as Record<string, unknown>;
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const errors: DrfErrors = {};
  for (const issue of parsed.error.issues) {
    const [field = 'non_field_errors', index] = issue.path.map(String);
    const fieldValue = input[field];
    if (index !== undefined && Array.isArray(fieldValue)) {
      const nested = (errors[field] ??= {}) as Record<string, string[]>;
      (nested[index] ??= []).push(drfMessage(issue, fieldValue[Number(index)], field));
    } else {
      ((errors[field] ??= []) as string[]).push(drfMessage(issue, fieldValue, field));
    }
  }
  throw new ProcurifyHttpError(400, errors);
}

function apply(rec: VendorRec, input: Partial<z.infer<typeof createSchema>>, clock: SimClock): void {
  for (const key of Object.keys(vendorFields) as (keyof typeof vendorFields)[]) {
    if (input[key] !== undefined) (rec as unknown as Record<string, unknown>)[key] = input[key] ?? null;
  }
  rec.dateModified = clock.now().toISOString();
}

/**
 * Vendors (https://developer.procurify.com/tag/vendors): GET/POST /api/v3/vendors, GET/PUT/PATCH /api/v3/vendors/{id}.
 * The list shows active vendors only ("Get list of all active vendors") and filters on external_id, name, search,
 * type. Create answers 201 {data: VendorDetail}; PUT needs every required field, PATCH any subset.
 */
export function vendorRoutes(store: ProcurifyStore, clock: SimClock): Router {
  const r = Router();
  const find = (req: Request) => {
    const v = store.vendors.get(Number(req.params.id));
    if (!v) throw notFound();
    return v;
  };
  r.get('/api/v3/vendors', (req, res) => {
    const type = intParam(req, 'type');
    const name = req.query.name === undefined ? undefined : String(req.query.name);
    const search = req.query.search === undefined ? undefined : String(req.query.search).toLowerCase();
    const externalId = req.query.external_id === undefined ? undefined : String(req.query.external_id);
    const excludeOther = boolParam(req, 'exclude_other');
    const list = [...store.vendors.values()]
      .filter((v) => v.active)
      .filter((v) => type === undefined || v.type === type)
      .filter((v) => name === undefined || v.name === name)
      .filter((v) => externalId === undefined || v.external_id === externalId)
      .filter((v) => search === undefined || v.name.toLowerCase().includes(search))
      .filter((v) => !excludeOther || v.name !== 'OTHER')
      .sort((a, b) => a.id - b.id);
    res.json(paginate(req, list.map(serializeVendor)));
  });
  r.post('/api/v3/vendors', (req, res) => {
    const input = parseOr400(createSchema, req.body);
    const rec: VendorRec = {
      id: store.nextId(),
      name: input.name,
      active: true,
      addressLineOne: null,
      addressLineTwo: null,
      postalCode: null,
      city: null,
      state_province: null,
      country: null,
      phoneOne: null,
      email: [],
      external_id: null,
      type: 3,
      overall_score: null,
      dateModified: clock.now().toISOString(),
    };
    apply(rec, input, clock);
    store.vendors.set(rec.id, rec);
    res.status(201).json({ data: serializeVendor(rec), metadata: {} });
  });
  r.get('/api/v3/vendors/:id', (req, res) => void res.json({ data: serializeVendor(find(req)), metadata: {} }));
  r.put('/api/v3/vendors/:id', (req, res) => {
    const rec = find(req);
    apply(rec, parseOr400(createSchema, req.body), clock);
    res.json({ data: serializeVendor(rec), metadata: {} });
  });
  r.patch('/api/v3/vendors/:id', (req, res) => {
    const rec = find(req);
    apply(rec, parseOr400(patchSchema, req.body), clock);
    res.json({ data: serializeVendor(rec), metadata: {} });
  });
  return r;
}
export { parseOr400 };
