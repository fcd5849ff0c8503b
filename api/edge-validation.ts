import { type RequestHandler } from 'express';
import { type FieldProblem } from '../core/connection-request';
import { operations } from './contract';
import { ApiError } from './errors';

/**
 * One check at the edge for strings PostgreSQL cannot hold: NUL (text and jsonb refuse \u0000) and unpaired UTF-16
 * surrogates (not Unicode; the driver would silently turn them into U+FFFD, jsonb refuses their escapes). Path
 * parameters, query parameters and JSON bodies (keys and values) are refused with a 422 naming the field, so no
 * handler, workflow update or activity ever receives them. A malformed percent-encoding is a 400.
 */
const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function unstorableReason(value: string): string | undefined {
  if (value.includes('\u0000')) return 'must not contain NUL (\\u0000) characters';
  if (UNPAIRED_SURROGATE.test(value)) return 'must not contain unpaired UTF-16 surrogates (not valid Unicode)';
  return undefined;
}

/** A field name shown back to the caller: NUL and surrogates as `?`, so the answer itself stays valid JSON text. */
function printable(key: string): string {
  return Array.from(key, (ch) => (ch === '\u0000' || (ch.length === 1 && ch >= '\uD800' && ch <= '\uDFFF') ? '?' : ch)).join('');
}

interface Visit {
  value: unknown;
  key: string | undefined;
  parent: Visit | undefined;
}

/** The dotted path of a visit, built only for a problem (a deep body must not cost a path per node). */
function pathOf(visit: Visit): string[] {
  const path: string[] = [];
  for (let v: Visit | undefined = visit; v?.key !== undefined; v = v.parent) path.push(v.key);
  return path.reverse();
}

/**
 * Every unstorable string in a JSON value, keys included. Iterative and linear, so a deeply nested body can neither
 * overflow the stack nor cost quadratic time.
 */
export function unstorableFields(root: unknown, prefix: string[] = []): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const name = (visit: Visit, last?: string) => [...prefix, ...pathOf(visit), ...(last !== undefined ? [last] : [])].join('.') || '(body)';
  const stack: Visit[] = [{ value: root, key: undefined, parent: undefined }];
  while (stack.length > 0 && problems.length < 20) {
    const visit = stack.pop()!;
    const { value } = visit;
    if (typeof value === 'string') {
      const reason = unstorableReason(value);
      if (reason) problems.push({ path: name(visit), message: reason });
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => stack.push({ value: v, key: String(i), parent: visit }));
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, v] of Object.entries(value)) {
        const reason = unstorableReason(key);
        if (reason) problems.push({ path: name(visit, printable(key)), message: `field name ${reason}` });
        else stack.push({ value: v, key, parent: visit });
      }
    }
  }
  return problems;
}

/** Route templates whose parameters we can name: the documented API plus the webhook receivers. */
const TEMPLATES = [...operations.map((o) => o.path), '/webhooks/{partner}/{connectionId}'].map((t) => t.split('/').slice(1));

function parameterName(segments: string[], index: number): string {
  for (const template of TEMPLATES) {
    if (template.length !== segments.length) continue;
    const matches = template.every((t, i) => t.startsWith('{') || i === index || t === segments[i]);
    const name = template[index];
    if (matches && name?.startsWith('{')) return name.slice(1, -1);
  }
  return `path segment ${index + 1}`;
}

function unprocessable(problems: FieldProblem[], what: string): never {
  throw new ApiError('unprocessable', `the request ${what} holds characters that cannot be stored`, problems);
}

/** Path and query, before any router decodes them. Mounted first. */
export const validatePathAndQuery: RequestHandler = (req, _res, next) => {
  const raw = req.path.split('/').slice(1);
  const segments: string[] = [];
  for (const segment of raw) {
    try {
      segments.push(decodeURIComponent(segment));
    } catch {
      throw new ApiError('bad_request', 'the URL path has a malformed percent-encoding (a % must be followed by two hex digits of valid UTF-8)');
    }
  }
  const pathProblems = segments.flatMap((s, i) => {
    const reason = unstorableReason(s);
    return reason ? [{ path: parameterName(segments, i), message: `path parameter ${reason}` }] : [];
  });
  if (pathProblems.length) unprocessable(pathProblems, 'path');
  const queryProblems = unstorableFields(req.query as unknown).map((p) => ({ path: p.path, message: `query parameter ${p.message}` }));
  if (queryProblems.length) unprocessable(queryProblems, 'query');
  next();
};

/** JSON bodies, after the parser: mounted behind express.json(). */
export const validateJsonBody: RequestHandler = (req, _res, next) => {
  const problems = unstorableFields(req.body as unknown);
  if (problems.length) unprocessable(problems, 'body');
  next();
};
