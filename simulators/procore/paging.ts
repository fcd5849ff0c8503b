import type { Request, Response } from 'express';
import type { Rec } from './store';

/**
 * Procore paging (https://developers.procore.com/documentation/pagination): `page` (1-based) and `per_page`; the answer
 * is a bare JSON array with `Total`, `Per-Page` and a `Link` header (first, prev, next, last; next absent on the last
 * page). The default page size is 100 here; Procore recommends at most 2,000 per page and we cap at 1,000.
 */
export function page(req: Request, res: Response, rows: Rec[]): Rec[] {
  const perPage = Math.min(1000, Math.max(1, Number(req.query.per_page ?? 100) || 100));
  const current = Math.max(1, Number(req.query.page ?? 1) || 1);
  const last = Math.max(1, Math.ceil(rows.length / perPage));
  const url = (p: number) => {
    const u = new URL(req.originalUrl, `${req.protocol}://${req.get('host')}`);
    u.searchParams.set('page', String(p));
    u.searchParams.set('per_page', String(perPage));
    return u.toString();
  };
  const links = [`<${url(1)}>; rel="first"`, ...(current > 1 ? [`<${url(current - 1)}>; rel="prev"`] : []), ...(current < last ? [`<${url(current + 1)}>; rel="next"`] : []), `<${url(last)}>; rel="last"`];
  res.set({ Total: String(rows.length), 'Per-Page': String(perPage), Link: links.join(', ') });
  return rows.slice((current - 1) * perPage, current * perPage);
}

/** `filters[updated_at]=<a>...<b>` and `filters[origin_id]=` (https://developers.procore.com/documentation/filtering-on-list-actions). */
export function filtered(req: Request, rows: Rec[]): Rec[] {
  const filters = { updated_at: bracketParam(req, 'filters', 'updated_at'), origin_id: bracketParam(req, 'filters', 'origin_id') };
  let out = rows;
  const range = typeof filters.updated_at === 'string' ? filters.updated_at.split('...') : undefined;
  if (range && range.length === 2) {
    const [from, to] = range.map((s) => Date.parse(s!));
    out = out.filter((r) => {
      const t = Date.parse(r.updated_at);
      return t >= from! && t <= to!;
    });
  }
  if (typeof filters.origin_id === 'string') out = out.filter((r) => r.origin_id === filters.origin_id);
  return out.sort((a, b) => (a.updated_at < b.updated_at ? -1 : a.updated_at > b.updated_at ? 1 : a.id < b.id ? -1 : 1));
}

/** `name[key]` from the query string, whether the app parses it flat (Express 5's default) or nested (qs). */
export function bracketParam(req: Request, name: string, key: string): string | undefined {
  const flat = req.query[`${name}[${key}]`];
  if (typeof flat === 'string') return flat;
  const nested = (req.query[name] as Record<string, unknown> | undefined)?.[key];
  return typeof nested === 'string' ? nested : undefined;
}
