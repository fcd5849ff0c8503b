import type { Request } from 'express';
import { detail } from './errors';

/** Our assumption: Procurify publishes no maximum page_size; larger asks are capped here like DRF's max_page_size. */
export const MAX_PAGE_SIZE = 100;
const DEFAULT_PAGE_SIZE = 10;

/**
 * DRF PageNumberPagination with Procurify's envelope (e.g. PaginatedOrderReadList): `{data, metadata: {pagination:
 * {count, next, previous, page_size, num_pages, current_page}}}`; `next`/`previous` are absolute URLs built from the
 * request (scheme, Host, path and every query parameter, `page` replaced), or null. A page past the end is DRF's 404
 * "Invalid page."; page_size over the cap is clamped.
 */
export function paginate<T, S = T>(req: Request, items: T[], extraMetadata: Record<string, unknown> = {}, serialize?: (item: T) => S) {
  const size = Math.min(MAX_PAGE_SIZE, Math.max(1, Number.parseInt(String(req.query.page_size ?? DEFAULT_PAGE_SIZE), 10) || DEFAULT_PAGE_SIZE));
  const page = Number.parseInt(String(req.query.page ?? '1'), 10);
  const numPages = Math.max(1, Math.ceil(items.length / size));
  if (!Number.isInteger(page) || page < 1 || page > numPages) throw detail(404, 'Invalid page.');
  const link = (n: number): string => {
    const url = new URL(req.originalUrl, `${req.protocol}://${req.get('host') ?? '127.0.0.1'}`);
    url.searchParams.set('page', String(n));
    return url.toString();
  };
  return {
    // Only the page is serialized: a list of thousands serialized whole per page made long syncs quadratic.
    data: items.slice((page - 1) * size, page * size).map((i) => (serialize ? serialize(i) : (i as unknown as S))),
    metadata: {
      ...extraMetadata,
      pagination: {
        count: items.length,
        next: page < numPages ? link(page + 1) : null,
        previous: page > 1 ? link(page - 1) : null,
        page_size: size,
        num_pages: numPages,
        current_page: page,
      },
    },
  };
}
