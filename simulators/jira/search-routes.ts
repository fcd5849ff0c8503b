import { createHash } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { selfBase, type SimContext } from './context';
import { badRequest, JiraHttpError } from './errors';
import { csv } from './issue-routes';
import { compileJql, parseJql } from './jql';
import { issueBean } from './serialize';

/**
 * Enhanced search, `GET/POST /rest/api/3/search/jql` (spec searchAndReconsileIssuesUsingJql[Post];
 * https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-search/): the JQL must be bounded, only
 * ids come back unless `fields` asks for more, pages are chained by an opaque `nextPageToken` (valid 7 days), and
 * there is no `total` ("use approximate-count"). maxResults defaults to 50, up to 5,000 when only id/key are asked,
 * otherwise 100.
 * The old `GET/POST /rest/api/3/search` was removed (CHANGE-2046): it answers 410 with Jira's message
 * (atlassian/atlassian-mcp-server#70, pycontribs/jira#2379).
 */
const TOKEN_TTL_MS = 7 * 86_400_000;
const REMOVED = 'The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046';

interface SearchInput {
  jql?: unknown;
  nextPageToken?: unknown;
  maxResults?: unknown;
  fields?: string[];
  properties?: string[];
}

function pageToken(jql: string, offset: number, issuedMs: number): string {
  return Buffer.from(JSON.stringify({ o: offset, q: createHash('sha1').update(jql).digest('hex').slice(0, 12), t: issuedMs })).toString('base64url');
}

function readToken(token: string, jql: string, now: number): number {
  try {
    const t = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { o: number; q: string; t: number };
    if (t.q === createHash('sha1').update(jql).digest('hex').slice(0, 12) && Number.isInteger(t.o) && now - t.t < TOKEN_TTL_MS) return t.o;
  } catch {
    // falls through to Jira's refusal
  }
  throw badRequest(['The provided next page token is invalid or expired.']);
}

export function searchRoutes(ctx: SimContext): Router {
  const r = Router();
  const { store, clock } = ctx;

  const search = (req: Request, res: Response, input: SearchInput) => {
    const jql = typeof input.jql === 'string' ? input.jql.trim() : '';
    const parsed = parseJql(jql);
    if (parsed.clauses.length === 0) throw badRequest(['Unbounded JQL queries are not allowed here. Please add a search restriction to your query.']);
    const now = clock.nowMs();
    const onlyIds = !input.fields || input.fields.every((f) => f === 'id' || f === 'key');
    const cap = onlyIds ? 5000 : 100;
    const maxResults = Math.min(cap, Math.max(1, Number(input.maxResults ?? 50) || 50));
    const offset = typeof input.nextPageToken === 'string' ? readToken(input.nextPageToken, jql, now) : 0;
    const match = compileJql(store, parsed, now);
    const order = parsed.orderBy;
    const all = [...store.issues.values()].filter(match);
    const key = (i: (typeof all)[number]) => (order?.field.toLowerCase() === 'updated' ? i.updatedMs : order?.field.toLowerCase() === 'key' ? Number(i.id) : i.createdMs);
    all.sort((a, b) => (key(a) - key(b)) * (order?.desc ? -1 : 1) || Number(a.id) - Number(b.id));
    const page = all.slice(offset, offset + maxResults);
    const isLast = offset + page.length >= all.length;
    const base = selfBase(ctx, req);
    res.json({
      issues: page.map((i) => issueBean(store, base, i, input.fields, input.properties)),
      ...(isLast ? {} : { nextPageToken: pageToken(jql, offset + page.length, now) }),
      isLast,
    });
  };

  r.post('/search/jql', (req, res) => {
    const body = (req.body ?? {}) as SearchInput & Record<string, unknown>;
    const unknown = Object.keys(body).filter((k) => !['jql', 'nextPageToken', 'maxResults', 'fields', 'expand', 'properties', 'fieldsByKeys', 'reconcileIssues'].includes(k));
    if (unknown.length > 0) throw badRequest([`Unrecognized field "${unknown[0]}".`]);
    search(req, res, body);
  });
  r.get('/search/jql', (req, res) =>
    search(req, res, { jql: req.query.jql, nextPageToken: req.query.nextPageToken, maxResults: req.query.maxResults, fields: csv(req.query.fields), properties: csv(req.query.properties) }),
  );

  r.all('/search', () => {
    throw new JiraHttpError(410, [REMOVED]);
  });
  return r;
}
