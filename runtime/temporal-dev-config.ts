// temporal-dev.yaml: its schema, how it is read (with overrides), and the `temporal server start-dev` flags it becomes.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

export const DEFAULT_TEMPORAL_DEV_CONFIG = path.resolve(__dirname, '..', 'temporal-dev.yaml');

const SEARCH_ATTRIBUTE_TYPES = ['Text', 'Keyword', 'Int', 'Double', 'Bool', 'Datetime', 'KeywordList'] as const;
type SearchAttributeType = (typeof SEARCH_ATTRIBUTE_TYPES)[number];
// temporal.api.enums.v1.IndexedValueType, by name (avoids a direct dependency on @temporalio/proto).
export const INDEXED_VALUE_TYPE: Record<SearchAttributeType, number> = {
  Text: 1,
  Keyword: 2,
  Int: 3,
  Double: 4,
  Bool: 5,
  Datetime: 6,
  KeywordList: 7,
};

const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;
const port = z.number().int().min(0).max(65535);
type JsonValue = string | number | boolean | null | JsonValue[] | { [k: string]: JsonValue };
const jsonValue: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(jsonValue), z.record(z.string(), jsonValue)]),
);

/** The file format: kebab-case keys named after the CLI flags they become. */
const fileSchema = z
  .object({
    namespace: z.string().min(1).default('default'),
    ip: z.string().min(1).default('127.0.0.1'),
    port: port.default(7233),
    'ui-port': port.optional(),
    headless: z.boolean().default(false),
    'ui-codec-endpoint': z.url().optional(),
    'db-filename': z.string().min(1).nullable().default(null),
    'search-attributes': z
      .record(z.string().regex(identifier, 'search attribute names must be identifiers'), z.enum(SEARCH_ATTRIBUTE_TYPES))
      .default({}),
    'dynamic-config': z.record(z.string().regex(/^[A-Za-z0-9_.]+$/, 'dynamic config keys are dotted identifiers'), jsonValue).default({}),
    'log-level': z.enum(['debug', 'info', 'warn', 'error', 'never']).default('warn'),
  })
  .strict();

export interface TemporalDevConfig {
  namespace: string;
  ip: string;
  /** 0 = pick a free port at start. */
  port: number;
  /** 0 = pick a free port at start; undefined = CLI default (port + 1000). */
  uiPort?: number;
  headless: boolean;
  uiCodecEndpoint?: string;
  /** Absolute path of the SQLite file; null = in-memory (lost when the server stops). */
  dbFile: string | null;
  searchAttributes: Record<string, SearchAttributeType>;
  dynamicConfig: Record<string, JsonValue>;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'never';
}

export interface TemporalDevOverrides {
  port?: number;
  uiPort?: number;
  /** Relative paths resolve against the process cwd; null = in-memory. */
  dbFile?: string | null;
  /** Merged over the file's values. */
  dynamicConfig?: Record<string, JsonValue>;
  headless?: boolean;
  /** Where the UI sends payloads to decode (the API's /codec when it listens elsewhere than the file says). */
  uiCodecEndpoint?: string;
}

/** Reads and validates temporal-dev.yaml; db-filename is resolved relative to the file, not the cwd. */
export function loadTemporalDevConfig(configPath: string = DEFAULT_TEMPORAL_DEV_CONFIG, overrides: TemporalDevOverrides = {}): TemporalDevConfig {
  const text = readFileSync(configPath, 'utf8');
  const parsed = fileSchema.safeParse(parseYaml(text) ?? {});
  if (!parsed.success) {
    throw new Error(`Invalid ${configPath}:\n${z.prettifyError(parsed.error)}`);
  }
  const f = parsed.data;
  const baseDir = path.dirname(path.resolve(configPath));
  const config: TemporalDevConfig = {
    namespace: f.namespace,
    ip: f.ip,
    port: f.port,
    uiPort: f['ui-port'],
    headless: f.headless,
    uiCodecEndpoint: f['ui-codec-endpoint'],
    dbFile: f['db-filename'] === null ? null : path.resolve(baseDir, f['db-filename']),
    searchAttributes: f['search-attributes'],
    dynamicConfig: f['dynamic-config'],
    logLevel: f['log-level'],
  };
  if (overrides.port !== undefined) config.port = port.parse(overrides.port);
  if (overrides.uiPort !== undefined) config.uiPort = port.parse(overrides.uiPort);
  if (overrides.headless !== undefined) config.headless = overrides.headless;
  if (overrides.uiCodecEndpoint !== undefined) config.uiCodecEndpoint = z.url().parse(overrides.uiCodecEndpoint);
  if (overrides.dbFile !== undefined) config.dbFile = overrides.dbFile === null ? null : path.resolve(overrides.dbFile);
  if (overrides.dynamicConfig) config.dynamicConfig = { ...config.dynamicConfig, ...overrides.dynamicConfig };
  return config;
}

/**
 * Flags for `temporal server start-dev` (without the `server start-dev` words). Pure. Ports must be concrete:
 * port 0 is resolved by startTemporalDevServer before calling this.
 */
export function toStartDevArgs(config: TemporalDevConfig): string[] {
  if (config.port === 0 || config.uiPort === 0) throw new Error('toStartDevArgs needs concrete ports; resolve port 0 first');
  const args: string[] = ['--ip', config.ip, '--port', String(config.port)];
  // "default" is always created by the CLI; naming it again would only duplicate it.
  if (config.namespace !== 'default') args.push('--namespace', config.namespace);
  if (config.headless) {
    args.push('--headless');
  } else {
    if (config.uiPort !== undefined) args.push('--ui-port', String(config.uiPort));
    if (config.uiCodecEndpoint) args.push('--ui-codec-endpoint', config.uiCodecEndpoint);
  }
  if (config.dbFile !== null) args.push('--db-filename', config.dbFile);
  for (const [name, type] of Object.entries(config.searchAttributes)) args.push('--search-attribute', `${name}=${type}`);
  // The CLI parses each value as JSON: strings must arrive quoted, booleans/numbers bare.
  for (const [key, value] of Object.entries(config.dynamicConfig)) args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);
  args.push('--log-level', config.logLevel);
  return args;
}
