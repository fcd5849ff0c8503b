import { adfText } from './adf';
import { badRequest } from './errors';
import type { JiraStore, SimIssue } from './store';

/**
 * The slice of JQL (https://support.atlassian.com/jira-software-cloud/docs/use-advanced-search-with-jira-query-language-jql/)
 * the simulator understands: clauses joined by AND, `field op value` with =, !=, ~, >, >=, <, <=, IN (...), NOT IN,
 * and an optional ORDER BY. Fields: project, issuetype, status, key/issueKey, created, updated, a custom field as
 * `cf[10030]`, `customfield_10030` or its quoted name. Dates are "yyyy-MM-dd HH:mm", "yyyy-MM-dd" or relative ("-5m",
 * "-2h", "-1d"). Anything else is Jira's 400 for a query it cannot parse, naming the clause.
 */
export interface JqlClause {
  field: string;
  op: string;
  values: string[];
}
export interface Jql {
  clauses: JqlClause[];
  orderBy?: { field: string; desc: boolean };
}

const TOKEN = /\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|!=|>=|<=|[=~<>(),]|[^\s=!~<>(),"']+)/y;

function tokenize(text: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while (TOKEN.lastIndex < text.length && (m = TOKEN.exec(text)) !== null) out.push(m[1]!);
  if (text.slice(TOKEN.lastIndex).trim() !== '') throw badRequest([`Error in the JQL Query: could not parse '${text.slice(TOKEN.lastIndex)}'.`]);
  return out;
}

const unquote = (t: string) => (/^["'].*["']$/.test(t) ? t.slice(1, -1).replace(/\\(.)/g, '$1') : t);

export function parseJql(text: string): Jql {
  const tokens = tokenize(text);
  const clauses: JqlClause[] = [];
  let orderBy: Jql['orderBy'];
  let i = 0;
  const next = () => tokens[i++];
  while (i < tokens.length) {
    if (tokens[i]?.toUpperCase() === 'ORDER' && tokens[i + 1]?.toUpperCase() === 'BY') {
      i += 2;
      const field = unquote(next() ?? '');
      const dir = tokens[i]?.toUpperCase();
      if (dir === 'ASC' || dir === 'DESC') i += 1;
      orderBy = { field, desc: dir === 'DESC' };
      break;
    }
    const field = unquote(next() ?? '');
    let op = (next() ?? '').toUpperCase();
    if (op === 'NOT' && tokens[i]?.toUpperCase() === 'IN') {
      i += 1;
      op = 'NOT IN';
    }
    if (!['=', '!=', '~', '>', '>=', '<', '<=', 'IN', 'NOT IN'].includes(op)) {
      throw badRequest([`Error in the JQL Query: Expecting operator but got '${op}'. The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', 'IN' and 'NOT IN'.`]);
    }
    const values: string[] = [];
    if (op === 'IN' || op === 'NOT IN') {
      if (next() !== '(') throw badRequest([`Error in the JQL Query: Expecting '(' after ${op}.`]);
      for (let t = next(); t !== ')' && t !== undefined; t = next()) if (t !== ',') values.push(unquote(t));
    } else {
      const v = next();
      if (v === undefined) throw badRequest([`Error in the JQL Query: Expecting either a value, list or function but got end of query.`]);
      values.push(unquote(v));
    }
    clauses.push({ field, op, values });
    if (i < tokens.length && tokens[i]?.toUpperCase() === 'AND') i += 1;
    else if (i < tokens.length && tokens[i]?.toUpperCase() !== 'ORDER') throw badRequest([`Error in the JQL Query: only AND is supported here, got '${tokens[i]}'.`]);
  }
  return { clauses, orderBy };
}

function fieldIdFor(store: JiraStore, name: string): string {
  const cf = /^cf\[(\d+)\]$/i.exec(name);
  if (cf) return `customfield_${cf[1]}`;
  if (/^customfield_\d+$/.test(name) || ['project', 'issuetype', 'status', 'created', 'updated', 'summary', 'duedate'].includes(name.toLowerCase())) return name.toLowerCase().startsWith('customfield') ? name : name.toLowerCase();
  if (['key', 'issuekey', 'id'].includes(name.toLowerCase())) return 'key';
  const byName = store.fieldByName(name);
  if (!byName) throw badRequest([`Field '${name}' does not exist or you do not have permission to view it.`]);
  return byName.id;
}

function parseDate(value: string, nowMs: number): number {
  const rel = /^([+-]?)(\d+)([mhdw])$/.exec(value);
  if (rel) {
    const unit = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[rel[3] as 'm' | 'h' | 'd' | 'w'];
    return nowMs + (rel[1] === '-' ? -1 : 1) * Number(rel[2]) * unit;
  }
  const abs = /^(\d{4})[-/](\d{2})[-/](\d{2})(?: (\d{2}):(\d{2}))?$/.exec(value);
  if (!abs) throw badRequest([`Date value '${value}' for field is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.`]);
  return Date.UTC(Number(abs[1]), Number(abs[2]) - 1, Number(abs[3]), Number(abs[4] ?? 0), Number(abs[5] ?? 0));
}

function valueOf(store: JiraStore, issue: SimIssue, fieldId: string): string | number | undefined {
  switch (fieldId) {
    case 'project':
      return store.projects.get(issue.projectId)?.key;
    case 'issuetype':
      return store.issueTypes.get(issue.issueTypeId)?.name;
    case 'status':
      return store.statuses.get(issue.statusId)?.name;
    case 'key':
      return issue.key;
    case 'created':
      return issue.createdMs;
    case 'updated':
      return issue.updatedMs;
    default: {
      const v = issue.fields[fieldId];
      if (v === undefined || v === null) return undefined;
      if (typeof v === 'object' && 'value' in (v as object)) return String((v as { value: unknown }).value);
      return typeof v === 'number' ? v : adfText(v);
    }
  }
}

/** A predicate for one parsed query; ids of projects/types/statuses also match (Jira accepts both). */
export function compileJql(store: JiraStore, jql: Jql, nowMs: number): (issue: SimIssue) => boolean {
  const tests = jql.clauses.map((c) => {
    const fieldId = fieldIdFor(store, c.field);
    const isDate = fieldId === 'created' || fieldId === 'updated';
    // Text fields are searched with CONTAINS only (https://support.atlassian.com/jira-software-cloud/docs/jql-operators/#CONTAINS).
    const field = store.fields.get(fieldId);
    const isText = fieldId === 'summary' || fieldId === 'description' || field?.type === 'textfield' || field?.type === 'textarea';
    if (isText && c.op !== '~') throw badRequest([`The operator '${c.op}' is not supported by the '${c.field}' field.`]);
    const wanted = isDate ? c.values.map((v) => parseDate(v, nowMs)) : c.values.map((v) => v.toLowerCase());
    return (issue: SimIssue) => {
      const raw = valueOf(store, issue, fieldId);
      if (raw === undefined) return c.op === '!=' || c.op === 'NOT IN';
      const alt = fieldId === 'project' ? issue.projectId : fieldId === 'issuetype' ? issue.issueTypeId : fieldId === 'status' ? issue.statusId : undefined;
      const have = typeof raw === 'number' ? raw : raw.toLowerCase();
      const eq = (w: string | number) => have === w || alt === w;
      const w0 = wanted[0]!;
      switch (c.op) {
        case '=':
          return eq(w0);
        case '!=':
          return !eq(w0);
        case 'IN':
          return wanted.some(eq);
        case 'NOT IN':
          return !wanted.some(eq);
        case '~':
          // `~ "\"exact phrase\""`: the inner quotes ask for the phrase as written.
          return String(have).includes(String(w0).replace(/^"(.*)"$/, '$1'));
        case '>':
          return have > w0;
        case '>=':
          return have >= w0;
        case '<':
          return have < w0;
        default:
          return have <= w0;
      }
    };
  });
  return (issue) => tests.every((t) => t(issue));
}
