/**
 * Atlassian Document Format as Jira Cloud checks it on REST v3 writes
 * (https://developer.atlassian.com/cloud/jira/platform/apis/document/structure/): the root is
 * `{"type":"doc","version":1,"content":[...]}` and every node has a string `type`. Rich-text fields
 * (description, environment, textarea custom fields) and comment bodies must be ADF; a plain string is refused.
 */
export function isAdfDoc(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const doc = value as { type?: unknown; version?: unknown; content?: unknown };
  return doc.type === 'doc' && doc.version === 1 && Array.isArray(doc.content) && doc.content.every(isNode);
}

function isNode(node: unknown): boolean {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return false;
  const n = node as { type?: unknown; content?: unknown; text?: unknown };
  if (typeof n.type !== 'string' || n.type === 'doc') return false;
  if (n.type === 'text' && typeof n.text !== 'string') return false;
  return n.content === undefined || (Array.isArray(n.content) && n.content.every(isNode));
}

export function textToAdf(text: string): unknown {
  return { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] };
}

/** The plain text of a document (for JQL `~` matching). */
export function adfText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null) return '';
  const n = value as { text?: unknown; content?: unknown };
  const own = typeof n.text === 'string' ? n.text : '';
  return own + (Array.isArray(n.content) ? n.content.map(adfText).join(' ') : '');
}
