import { textToAdf } from './adf';
import type { JiraClient } from './client';
import { commentSchema, pageOfCommentsSchema } from './schemas';

/**
 * `POST /rest/api/3/issue/{key}/comment` with an ADF body (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-comments/#api-rest-api-3-issue-issueidorkey-comment-post);
 * 201 with the comment. A comment property would be the natural marker, but `properties` on a comment are not
 * searchable either, so exactly-once is kept by our own records plus `listComments` for recovery.
 */
export async function addComment(client: JiraClient, issueKey: string, text: string): Promise<{ id: string }> {
  const res = await client.send(
    { operation: 'POST /rest/api/3/issue/{key}/comment', method: 'POST', path: `/rest/api/3/issue/${encodeURIComponent(issueKey)}/comment`, body: { body: textToAdf(text) }, issue: issueKey },
    commentSchema,
  );
  return { id: res.body.id };
}

/** Every comment of an issue (`GET .../comment`, startAt paging), oldest first. */
export async function listComments(client: JiraClient, issueKey: string): Promise<{ id: string; body: unknown }[]> {
  const out: { id: string; body: unknown }[] = [];
  for (let startAt = 0; ; ) {
    const res = await client.send(
      { operation: 'GET /rest/api/3/issue/{key}/comment', method: 'GET', path: `/rest/api/3/issue/${encodeURIComponent(issueKey)}/comment`, query: { startAt, maxResults: 100 } },
      pageOfCommentsSchema,
    );
    out.push(...res.body.comments.map((c) => ({ id: c.id, body: c.body })));
    startAt += res.body.comments.length;
    if (res.body.comments.length === 0 || startAt >= res.body.total) return out;
  }
}
