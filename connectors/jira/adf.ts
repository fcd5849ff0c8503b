/**
 * Atlassian Document Format (https://developer.atlassian.com/cloud/jira/platform/apis/document/structure/): REST v3
 * takes rich text (description, textarea fields, comment bodies) only as `{"type":"doc","version":1,"content":[...]}`.
 */
export interface AdfDoc {
  type: 'doc';
  version: 1;
  content: unknown[];
}

/** One paragraph per line; empty lines are dropped (ADF text nodes must not be empty). */
export function textToAdf(text: string): AdfDoc {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  return {
    type: 'doc',
    version: 1,
    content: (lines.length > 0 ? lines : [' ']).map((line) => ({ type: 'paragraph', content: [{ type: 'text', text: line }] })),
  };
}

/** The plain text of a document, paragraphs joined by newlines (for comparing what is in Jira with what we wrote). */
export function adfToText(doc: unknown): string {
  if (typeof doc !== 'object' || doc === null) return typeof doc === 'string' ? doc : '';
  const n = doc as { type?: string; text?: unknown; content?: unknown };
  if (typeof n.text === 'string') return n.text;
  const parts = Array.isArray(n.content) ? n.content.map(adfToText) : [];
  return parts.join(n.type === 'doc' ? '\n' : '');
}
