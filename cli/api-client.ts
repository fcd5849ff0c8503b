import { z } from 'zod';

export class CliError extends Error {}

const errorBody = z.object({ error: z.object({ code: z.string(), message: z.string(), requestId: z.string().optional(), details: z.array(z.object({ path: z.string(), message: z.string() })).optional() }) });

/** The HTTP API, as the CLI sees it: one function per call shape, errors turned into one readable reason. */
export function apiClient(baseUrl: string, key: string) {
  return async function call(method: string, path: string, body?: unknown): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(`${baseUrl.replace(/\/$/, '')}${path}`, {
        method,
        headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (err) {
      throw new CliError(`cannot reach the API at ${baseUrl} (${err instanceof Error ? err.message : String(err)})`);
    }
    const text = await res.text();
    const json: unknown = text ? JSON.parse(text) : undefined;
    if (!res.ok) {
      const parsed = errorBody.safeParse(json);
      if (!parsed.success) throw new CliError(`${method} ${path} answered ${res.status}`);
      const problems = parsed.data.error.details?.map((d) => `${d.path}: ${d.message}`).join('; ');
      throw new CliError(`${parsed.data.error.message}${problems ? ` (${problems})` : ''} [${res.status} ${parsed.data.error.code}]`);
    }
    return json;
  };
}
export type ApiCall = ReturnType<typeof apiClient>;
