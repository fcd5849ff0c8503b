import { mkdirSync, readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { type LoggedRequest } from '../../simulators/kit/request-log';

/**
 * Validates Asana traffic against the vendor's OpenAPI 3.0 spec (../shared/specs/asana_oas.yaml, a copy of
 * Asana/openapi defs/asana_oas.yaml). Parsing 3 MB of YAML is slow, so the parsed spec is cached as JSON under
 * .data/ keyed by the file's mtime and size. OpenAPI 3.0 is not JSON Schema: `nullable` and `readOnly` are rewritten
 * (below), and unknown formats are ignored.
 */
export const SPEC_PATH = resolve(__dirname, '../../../shared/specs/asana_oas.yaml');
const CACHE_DIR = resolve(__dirname, '../../.data/contract-cache');

type Schema = Record<string, unknown>;
interface Spec {
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, Schema>; parameters: Record<string, Schema>; responses: Record<string, Schema> };
}

export function loadAsanaSpec(): Spec {
  const stat = statSync(SPEC_PATH);
  const cacheFile = join(CACHE_DIR, `asana_oas.${Math.floor(stat.mtimeMs)}.${stat.size}.json`);
  if (existsSync(cacheFile)) return JSON.parse(readFileSync(cacheFile, 'utf8')) as Spec;
  const spec = parse(readFileSync(SPEC_PATH, 'utf8')) as Spec;
  mkdirSync(CACHE_DIR, { recursive: true });
  writeFileSync(cacheFile, JSON.stringify(spec));
  return spec;
}

/**
 * Where the spec contradicts itself we follow its prose/examples, and say so here (each patch is one known gap):
 * 1. `TaskRequestBase.custom_fields.additionalProperties` is `type: string`, but its own description says the value is
 *    "an enum GID, string, number, object, or array (depending on the custom field type)" (asana_oas.yaml L8272-8290).
 * 2. `WebhookResponse` timestamps and `last_failure_content` are non-nullable, but the createWebhook example answers
 *    `"last_success_at": null, "last_failure_at": null, "last_failure_content": null` before any delivery.
 * 3. `CustomFieldCompact.date_value.date_time` is a non-nullable string, but its own description says "If no time value
 *    is selected, the value of `date-time` will be `null`" (asana_oas.yaml L3082-3086): a date-only field answers
 *    `{ "date": "2024-08-23", "date_time": null }` (https://developers.asana.com/reference/tasks).
 */
function patchSpec(spec: Spec): Spec {
  const copy = JSON.parse(JSON.stringify(spec)) as Spec;
  const base = copy.components.schemas.TaskRequestBase as { allOf: Schema[] };
  const props = (base.allOf[1] as { properties: Record<string, Schema> }).properties;
  (props.custom_fields as Schema).additionalProperties = { nullable: true, oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'array' }, { type: 'object' }] };
  const hook = (copy.components.schemas.WebhookResponse as { allOf: Schema[] }).allOf[1] as { properties: Record<string, Schema> };
  for (const k of ['last_success_at', 'last_failure_at', 'last_failure_content', 'next_attempt_after', 'failure_deletion_timestamp']) {
    (hook.properties[k] as Schema).nullable = true;
  }
  const customField = copy.components.schemas.CustomFieldCompact as { allOf: Schema[] } | { properties: Record<string, Schema> };
  const fieldProps = 'allOf' in customField ? (customField.allOf.find((b) => (b as { properties?: unknown }).properties) as { properties: Record<string, Schema> }).properties : customField.properties;
  ((fieldProps.date_value as { properties: Record<string, Schema> }).properties.date_time as Schema).nullable = true;
  return copy;
}

const KNOWN_FORMATS = new Set(['date', 'date-time', 'uri', 'email', 'uuid']);

/** OpenAPI 3.0 schema -> JSON Schema for ajv. In requests, readOnly properties must not be sent. */
function convert(node: unknown, mode: 'request' | 'response'): unknown {
  if (Array.isArray(node)) return node.map((n) => convert(n, mode));
  if (typeof node !== 'object' || node === null) return node;
  const src = node as Schema;
  const out: Schema = {};
  for (const [k, v] of Object.entries(src)) {
    if (k === 'example' || k === 'examples' || k.startsWith('x-') || k === 'nullable' || k === 'discriminator' || k === 'xml') continue;
    if (k === '$ref' && typeof v === 'string') out.$ref = v.replace('#/components/schemas/', `${mode}#/components/schemas/`);
    else if (k === 'format' && typeof v === 'string' && !KNOWN_FORMATS.has(v)) continue;
    else if (k === 'properties' && typeof v === 'object' && v !== null) {
      const props: Schema = {};
      for (const [name, p] of Object.entries(v as Schema)) {
        props[name] = mode === 'request' && isReadOnly(p) ? false : convert(p, mode);
      }
      out.properties = props;
    } else out[k] = convert(v, mode);
  }
  const branchNullable = Array.isArray(src.allOf) && (src.allOf as Schema[]).some((b) => b.nullable === true);
  if (src.nullable === true || branchNullable) {
    if (typeof out.type === 'string' && !out.allOf && !out.$ref) {
      out.type = [out.type, 'null'];
      if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...(out.enum as unknown[]), null];
      return out;
    }
    return { anyOf: [{ type: 'null' }, out] };
  }
  return out;
}

function isReadOnly(p: unknown): boolean {
  if (typeof p !== 'object' || p === null) return false;
  const s = p as Schema;
  if (s.readOnly === true) return true;
  return Array.isArray(s.allOf) && (s.allOf as Schema[]).some((b) => b.readOnly === true);
}

export interface ContractIssue {
  where: string;
  errors: string[];
}

interface Operation {
  template: string;
  method: string;
  op: Schema;
  pathParams: Schema[];
  regex: RegExp;
}

export class AsanaContract {
  private readonly ajv: Ajv;
  private readonly operations: Operation[] = [];
  private readonly cache = new Map<unknown, ValidateFunction>();

  constructor(private readonly spec: Spec) {
    this.ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
    addFormats(this.ajv);
    for (const mode of ['request', 'response'] as const) {
      this.ajv.addSchema({ $id: mode, components: { schemas: convert(spec.components.schemas, mode) } });
    }
    for (const [template, item] of Object.entries(spec.paths)) {
      const regex = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
      const pathParams = (item.parameters as Schema[] | undefined) ?? [];
      for (const method of ['get', 'post', 'put', 'delete', 'patch']) {
        const op = item[method] as Schema | undefined;
        if (op) this.operations.push({ template, method: method.toUpperCase(), op, pathParams, regex });
      }
    }
  }

  static fromSpecFile(): AsanaContract {
    return new AsanaContract(patchSpec(loadAsanaSpec()));
  }

  find(method: string, path: string): Operation | undefined {
    // Literal segments win over templates (e.g. /users/me before /users/{user_gid}).
    const matches = this.operations.filter((o) => o.method === method && o.regex.test(path));
    return matches.sort((a, b) => (a.template.match(/\{/g)?.length ?? 0) - (b.template.match(/\{/g)?.length ?? 0))[0];
  }

  private validator(schema: unknown, mode: 'request' | 'response'): ValidateFunction {
    let v = this.cache.get(schema);
    if (!v) {
      v = this.ajv.compile(convert(schema, mode) as Schema);
      this.cache.set(schema, v);
    }
    return v;
  }

  private deref<T extends Schema>(s: T, kind: 'parameters' | 'responses'): T {
    const ref = s.$ref;
    if (typeof ref !== 'string') return s;
    return this.spec.components[kind][ref.split('/').pop() ?? ''] as T;
  }

  private errorsOf(v: ValidateFunction): string[] {
    return (v.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
  }

  /** Query parameters (style form, explode false arrays split on commas) and the JSON body. */
  /** Every request the simulator logged and its answer, checked against the spec: one line per problem, naming the call. */
  validateLog(log: Array<Pick<LoggedRequest, 'seq' | 'method' | 'path' | 'query' | 'body' | 'status' | 'responseBody'>>): string[] {
    return log.flatMap((r) => {
      const where = `#${r.seq} ${r.method} ${r.path} -> ${r.status ?? '?'}`;
      const req = this.validateRequest(r.method, r.path, r.query, r.body);
      const res = this.validateResponse(r.method, r.path, r.status ?? 0, r.responseBody);
      return [...req.map((e) => `${where} request: ${e}`), ...res.map((e) => `${where} response: ${e}`)];
    });
  }

  validateRequest(method: string, path: string, query: Record<string, string>, body: unknown): string[] {
    const op = this.find(method, path);
    if (!op) return [`no operation ${method} ${path} in the spec`];
    const errors: string[] = [];
    const params = [...op.pathParams, ...((op.op.parameters as Schema[] | undefined) ?? [])]
      .map((p) => this.deref(p, 'parameters'))
      .filter((p) => p.in === 'query');
    const byName = new Map(params.map((p) => [p.name as string, p]));
    for (const name of Object.keys(query)) if (!byName.has(name)) errors.push(`query parameter ${name} is not defined for ${op.method} ${op.template}`);
    for (const p of params) {
      const raw = query[p.name as string];
      if (raw === undefined) {
        if (p.required === true) errors.push(`query parameter ${String(p.name)} is required`);
        continue;
      }
      const schema = p.schema as Schema;
      const value =
        schema.type === 'array' ? raw.split(',') : schema.type === 'integer' || schema.type === 'number' ? Number(raw) : schema.type === 'boolean' ? raw === 'true' ? true : raw === 'false' ? false : raw : raw;
      const v = this.validator(schema, 'request');
      if (!v(value)) errors.push(...this.errorsOf(v).map((e) => `query ${String(p.name)}: ${e}`));
    }
    const rb = op.op.requestBody as { required?: boolean; content?: Record<string, { schema: Schema }> } | undefined;
    if (rb?.content?.['application/json']) {
      if (body === undefined) {
        if (rb.required) errors.push('request body is required');
      } else {
        const v = this.validator(rb.content['application/json'].schema, 'request');
        if (!v(body)) errors.push(...this.errorsOf(v).map((e) => `body ${e}`));
      }
    }
    return errors;
  }

  validateResponse(method: string, path: string, status: number, body: unknown): string[] {
    const op = this.find(method, path);
    if (!op) return [`no operation ${method} ${path} in the spec`];
    const responses = op.op.responses as Record<string, Schema>;
    const declared = responses[String(status)] ?? responses.default;
    if (!declared) {
      // 429 is documented for every endpoint (rate-limits doc) but not listed per operation; use the component.
      if (status === 429) return this.validateAgainst(this.spec.components.responses.TooManyRequests as Schema, body);
      return [`status ${status} is not declared for ${op.method} ${op.template}`];
    }
    return this.validateAgainst(this.deref(declared, 'responses'), body);
  }

  private validateAgainst(response: Schema, body: unknown): string[] {
    const schema = (response.content as Record<string, { schema: Schema }> | undefined)?.['application/json']?.schema;
    if (!schema) return [];
    const v = this.validator(schema, 'response');
    return v(body) ? [] : this.errorsOf(v);
  }
}
