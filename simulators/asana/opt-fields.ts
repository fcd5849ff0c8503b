/**
 * `opt_fields` projection. Asana answers lists with compact records and lets callers pick fields with comma-separated
 * dotted paths (`custom_fields.enum_value.name`); the `gid` of every included object is always returned.
 * https://developers.asana.com/docs/inputoutput-options (spec `components.parameters.fields`).
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };
interface FieldTree {
  [key: string]: FieldTree;
}

/** Keys of each resource type's compact form; nested resources render compact unless sub-fields are asked for. */
const COMPACT_KEYS: Record<string, string[]> = {
  task: ['gid', 'resource_type', 'name', 'resource_subtype'],
  user: ['gid', 'resource_type', 'name'],
  project: ['gid', 'resource_type', 'name'],
  workspace: ['gid', 'resource_type', 'name'],
  section: ['gid', 'resource_type', 'name'],
  enum_option: ['gid', 'resource_type', 'name', 'enabled', 'color'],
  custom_field: [
    'gid', 'resource_type', 'name', 'type', 'resource_subtype', 'enabled', 'display_value', 'enum_options',
    'enum_value', 'text_value', 'number_value', 'date_value',
  ],
  custom_field_setting: ['gid', 'resource_type', 'custom_field', 'project', 'is_important', 'parent'],
  webhook: ['gid', 'resource_type', 'active', 'resource', 'target'],
};

export function parseOptFields(raw: unknown): string[] | undefined {
  if (typeof raw !== 'string' || raw.trim() === '') return undefined;
  return raw.split(',').map((f) => f.trim()).filter((f) => f !== '');
}

function toTree(paths: string[]): FieldTree {
  const root: FieldTree = {};
  for (const path of paths) {
    let node = root;
    for (const part of path.split('.')) node = node[part] ??= {};
  }
  return root;
}

function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function compact(value: Json): Json {
  if (Array.isArray(value)) return value.map(compact);
  if (!isObject(value)) return value;
  const type = value.resource_type;
  const keys = typeof type === 'string' ? COMPACT_KEYS[type] : undefined;
  if (!keys) return value;
  const out: JsonObject = {};
  for (const key of keys) {
    const v = value[key];
    if (v !== undefined) out[key] = compact(v);
  }
  return out;
}

function select(value: Json, tree: FieldTree): Json {
  if (Array.isArray(value)) return value.map((v) => select(v, tree));
  if (!isObject(value)) return value;
  const keys = Object.keys(tree);
  if (keys.length === 0) return compact(value);
  const out: JsonObject = {};
  if (value.gid !== undefined) out.gid = value.gid;
  for (const key of keys) {
    const v = value[key];
    const sub = tree[key];
    if (v !== undefined && sub) out[key] = select(v, sub);
  }
  return out;
}

/** Full resource -> what Asana would send: the `fallback` form when no opt_fields, else exactly the asked fields. */
export function project(full: Json, optFields: string[] | undefined, fallback: 'compact' | 'full'): Json {
  if (!optFields) return fallback === 'compact' ? compact(full) : full;
  return select(full, toTree(optFields));
}
