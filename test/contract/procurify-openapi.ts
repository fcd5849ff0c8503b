import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { AsanaContract } from './asana-openapi';

/**
 * Procurify's published spec (../shared/specs/procurify_openapi.yaml, a copy of developer.procurify.com), parsed
 * once per file run and cached as JSON under .data/ keyed by mtime and size. The validator is the one the Asana
 * contract uses (AsanaContract works on any OpenAPI 3.0 document: it reads only paths and components).
 */
export const PROCURIFY_SPEC_PATH = resolve(__dirname, '../../../shared/specs/procurify_openapi.yaml');
const CACHE_DIR = resolve(__dirname, '../../.data/contract-cache');

type Schema = Record<string, unknown>;
interface Spec {
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, Schema>; parameters?: Record<string, Schema>; responses?: Record<string, Schema> };
}

function loadSpec(): Spec {
  const stat = statSync(PROCURIFY_SPEC_PATH);
  const cacheFile = join(CACHE_DIR, `procurify_openapi.${Math.floor(stat.mtimeMs)}.${stat.size}.json`);
  if (existsSync(cacheFile)) return JSON.parse(readFileSync(cacheFile, 'utf8')) as Spec;
  const spec = parse(readFileSync(PROCURIFY_SPEC_PATH, 'utf8')) as Spec;
  mkdirSync(CACHE_DIR, { recursive: true });
  writeFileSync(cacheFile, JSON.stringify(spec));
  return spec;
}

/**
 * Where the spec contradicts itself or the documented behaviour, we follow the documentation and say so here:
 * 1. PaginatedLocationViewSerializerListList.data items are `LocationViewSerializerList` (itself `{metadata, data:
 *    [LocationView]}`), a list wrapped in a list, unlike every other Paginated…List whose items are the records. The
 *    generator nested the single-object wrapper; we validate items as LocationView like the other lists.
 * 2. Procurify publishes no rate-limit answer; a 429 is checked against DRF's Throttled body `{detail}`.
 * 3. GET /api/v3/vendors lists a required *path* parameter `vendor_group` that its path has no placeholder for; the
 *    documented curl example calls the bare path. Only query parameters are validated, so nothing is patched.
 */
function patchSpec(spec: Spec): Spec {
  const copy = JSON.parse(JSON.stringify(spec)) as Spec;
  const locations = copy.components.schemas.PaginatedLocationViewSerializerListList as { properties: { data: { items: Schema } } };
  locations.properties.data.items = { $ref: '#/components/schemas/LocationView' };
  copy.components.parameters ??= {};
  copy.components.responses = {
    ...copy.components.responses,
    TooManyRequests: { content: { 'application/json': { schema: { type: 'object', required: ['detail'], properties: { detail: { type: 'string' } } } } } },
  };
  return copy;
}

export function procurifyContract(): AsanaContract {
  return new AsanaContract(patchSpec(loadSpec()) as unknown as ConstructorParameters<typeof AsanaContract>[0]);
}
