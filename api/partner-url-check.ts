import { checkPartnerUrl, outboundPolicy } from '../connectors/http/outbound-policy';
import { type FieldProblem } from '../core/connection-request';

/** Our own public address, given to partners for webhooks: partners call it, we never do. */
const INBOUND_URL_FIELDS = new Set(['webhookBaseUrl']);

function urlFields(value: unknown, path: string[], out: Array<{ path: string; url: string }>): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return;
  for (const [key, child] of Object.entries(value)) {
    if (typeof child === 'string' && /url$/i.test(key) && !INBOUND_URL_FIELDS.has(key)) out.push({ path: [...path, key].join('.'), url: child });
    else urlFields(child, [...path, key], out);
  }
}

/**
 * Every partner URL of a connection's config (any `...Url` field but our own webhook base), checked against the
 * outbound URL policy when the connection is created or updated: a 422 naming the field, before anything is stored.
 */
export async function partnerUrlProblems(config: unknown, prefix: string): Promise<FieldProblem[]> {
  const fields: Array<{ path: string; url: string }> = [];
  urlFields(config, [prefix], fields);
  const problems = await Promise.all(fields.map(async (f) => ({ path: f.path, message: await checkPartnerUrl(f.url, outboundPolicy()) })));
  return problems.filter((p): p is FieldProblem => p.message !== undefined);
}
