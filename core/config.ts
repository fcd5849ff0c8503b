import { z } from 'zod';

const port = (fallback: number) => z.coerce.number().int().min(0).max(65_535).default(fallback);
const flag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'])
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1');

/**
 * Every environment variable the processes read, parsed once at boot. Libraries receive the parsed config; none of
 * them reads process.env. `.env.example` documents each entry.
 */
export const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** auto = readable lines on a terminal, JSON otherwise; production always logs JSON. */
    LOG_FORMAT: z.enum(['auto', 'pretty', 'json']).default('auto'),
    /** `npm start`: where the Temporal dev server's own output goes, `file` (MLC_DATA_DIR/temporal/server.log) or `stdout`. */
    MLC_TEMPORAL_LOG: z.enum(['file', 'stdout']).default('file'),
    MLC_DATA_DIR: z.string().min(1).default('.data'),

    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
    EMBEDDED_PG_PORT: port(54320),

    TEMPORAL_ADDRESS: z
      .string()
      .regex(/^[^\s:/]+:\d+$/, 'must be host:port, e.g. 127.0.0.1:7233 or my-ns.tmprl.cloud:7233')
      .optional(),
    TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
    TEMPORAL_TASK_QUEUE: z.string().min(1).default('ml-connector'),
    TEMPORAL_TLS: flag(false),
    TEMPORAL_TLS_CERT_PATH: z.string().optional(),
    TEMPORAL_TLS_KEY_PATH: z.string().optional(),
    TEMPORAL_API_KEY: z.string().min(1).optional(),
    TEMPORAL_PORT: port(7233),
    TEMPORAL_UI_PORT: port(8233),
    TEMPORAL_DEV_CONFIG: z.string().default('temporal-dev.yaml'),
    /** Where support staff open the Temporal Web UI; API responses link each connection's run there. */
    TEMPORAL_UI_URL: z.url().optional(),

    API_PORT: port(3000),
    API_HOST: z.string().default('127.0.0.1'),
    /** Where partners reach our webhook receivers (Asana performs a handshake against it). */
    MLC_PUBLIC_URL: z.url().optional(),
    /** Credential encryption keys: `kid:base64(32 bytes)` entries, comma-separated, the first one encrypts. */
    MLC_MASTER_KEY: z.string().optional(),
    /** A prebuilt workflow bundle (faster worker start in production and tests). */
    MLC_WORKFLOW_BUNDLE: z.string().optional(),
    MLC_START_SIMULATORS: flag(true),
    /**
     * Admin-level: partner URLs may use http: and reach loopback/private addresses (local simulators, an on-premises
     * PeopleSoft). Off by default; `npm start` turns it on for the simulators. Cloud metadata addresses stay refused.
     */
    MLC_ALLOW_PRIVATE_PARTNER_URLS: flag(false),
    /** `npm run worker` serves GET /metrics here (on API_HOST); 0 = off. `npm start` adds them to the API's /metrics. */
    MLC_WORKER_METRICS_PORT: port(9464),
    /** Workflows a worker keeps cached between their tasks (workers/create-worker.ts); more = less replay, more memory. */
    MLC_WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).optional(),
  })
  .superRefine((c, ctx) => {
    if (c.NODE_ENV === 'production') {
      for (const key of ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'MLC_MASTER_KEY'] as const) {
        if (!c[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'required in production' });
      }
    }
    if (Boolean(c.TEMPORAL_TLS_CERT_PATH) !== Boolean(c.TEMPORAL_TLS_KEY_PATH)) {
      ctx.addIssue({ code: 'custom', path: ['TEMPORAL_TLS_KEY_PATH'], message: 'set both TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH, or neither' });
    }
  });

export type AppConfig = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}\nSee .env.example for every variable.`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment; throws ConfigError listing every problem by variable name (values are never echoed). */
export function parseConfig(env: Record<string, string | undefined>): AppConfig {
  const result = configSchema.safeParse(env);
  if (result.success) return result.data;
  throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
}
