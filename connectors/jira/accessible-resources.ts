import { z } from 'zod';
import { PartnerError } from '../../core/partner-error';
import { createPartnerHttp } from '../http/partner-request';
import type { JiraConfig } from './config';
import { JIRA } from './provider';

const resourcesSchema = z.array(z.object({ id: z.string().min(1), url: z.string(), name: z.string().optional() }).loose());

/**
 * The cloudId of the connection's site: `GET https://api.atlassian.com/oauth/token/accessible-resources` lists the
 * sites the grant covers (https://developer.atlassian.com/cloud/jira/platform/oauth-2-3lo-apps/#3-1-get-the-cloudid-for-your-site);
 * we take the one whose `url` is the configured siteUrl, never "the first one" (a grant can span several sites).
 */
export async function resolveCloudId(config: JiraConfig, authorization: string, timeoutMs?: number): Promise<string> {
  const http = createPartnerHttp({ partner: JIRA, baseUrl: config.gatewayUrl, timeoutMs });
  const operation = 'GET /oauth/token/accessible-resources';
  const res = await http.request({ operation, method: 'GET', url: '/oauth/token/accessible-resources', headers: { Authorization: authorization, Accept: 'application/json' } });
  const sites = resourcesSchema.parse(JSON.parse(res.data));
  const norm = (u: string) => u.replace(/\/+$/, '').toLowerCase();
  const site = sites.find((s) => norm(s.url) === norm(config.siteUrl));
  if (!site) {
    throw new PartnerError(`jira ${operation}: the OAuth grant does not cover ${config.siteUrl}`, {
      partner: JIRA,
      operation,
      status: res.status,
      decision: { retry: false, reason: 'site not in accessible resources' },
      code: 'JIRA_SITE_NOT_GRANTED',
      hint: `The Jira account authorized sites ${sites.map((s) => s.url).join(', ') || '(none)'}; reconnect and grant access to ${config.siteUrl}, or fix siteUrl.`,
    });
  }
  return site.id;
}
