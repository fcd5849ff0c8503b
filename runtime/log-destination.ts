import { type DestinationStream } from 'pino';
import pretty from 'pino-pretty';

export type LogFormat = 'auto' | 'pretty' | 'json';

/**
 * Where a process's logs go and in which form: readable lines when a person watches a terminal, one JSON object per
 * line otherwise (files, pipes, log shippers) and always in production. `LOG_FORMAT=json|pretty` overrides the
 * terminal check outside production.
 */
export function logFormatFor(config: { NODE_ENV: string; LOG_FORMAT: LogFormat }, isTTY = Boolean(process.stdout.isTTY)): 'pretty' | 'json' {
  if (config.NODE_ENV === 'production') return 'json';
  if (config.LOG_FORMAT !== 'auto') return config.LOG_FORMAT;
  return isTTY ? 'pretty' : 'json';
}

type Line = Record<string, unknown> & { msg?: string; req?: { method?: string; url?: string }; res?: { statusCode?: number }; responseTime?: number };

/** `GET /v1/connections 200 12 ms` for pino-http's request lines; every other line is its own sentence. */
function message(log: Line): string {
  if (log.req?.method && log.res?.statusCode !== undefined) {
    return `${log.req.method} ${log.req.url ?? ''} ${log.res.statusCode}${log.responseTime !== undefined ? ` ${log.responseTime} ms` : ''}`;
  }
  return log.msg ?? '';
}

/** The pino destination for `format`: undefined = pino's default (JSON on stdout). `out` is for tests. */
export function logDestination(format: 'pretty' | 'json', out?: NodeJS.WritableStream): DestinationStream | undefined {
  if (format === 'json') return undefined;
  return pretty({
    ...(out ? { destination: out } : {}),
    colorize: !out && Boolean(process.stdout.isTTY),
    translateTime: 'SYS:HH:MM:ss',
    // The sentence carries the facts; the fields stay in JSON output for machines.
    ignore: 'pid,hostname,req,res,responseTime,reqId,workflowId,runId,attempt,taskToken,sdkComponent,isLocal,namespace',
    // Our own `err` keeps its multi-line stack; the SDK's `error` details stay on the line they belong to.
    errorLikeObjectKeys: ['err'],
    messageFormat: (log) => message(log as Line),
    singleLine: true,
    sync: true,
  });
}
